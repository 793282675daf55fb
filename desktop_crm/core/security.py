"""Password hashing with scrypt at OWASP parameters (N=2^17, r=8, p=1).

The stored form carries its parameters (`scrypt$N$r$p$salt$hash`) so a login can
tell when the parameters have risen and rehash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from desktop_crm.core.i18n import _

MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class ScryptParams:
    n: int = 2**17
    r: int = 8
    p: int = 1


OWASP = ScryptParams()
_params = OWASP


def current_params() -> ScryptParams:
    return _params


def set_params(params: ScryptParams) -> None:
    """Tests lower the cost to keep the suite fast; production keeps OWASP."""
    global _params
    _params = params


def _derive(password: str, salt: bytes, p: ScryptParams) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=p.n, r=p.r, p=p.p,
                          maxmem=256 * 1024 * 1024, dklen=32)


def check_password_rules(password: str) -> str | None:
    """A translated problem with the password, or None when acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("must be at least {n} characters").format(n=MIN_PASSWORD_LENGTH)
    return None


def hash_password(password: str) -> str:
    p = _params
    salt = os.urandom(16)
    digest = _derive(password, salt, p)
    b64 = base64.b64encode
    return f"scrypt${p.n}${p.r}${p.p}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        params = ScryptParams(int(n), int(r), int(p))
        calc = _derive(password, base64.b64decode(salt), params)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(calc, base64.b64decode(digest))


def needs_rehash(stored: str) -> bool:
    try:
        _, n, r, p, *_rest = stored.split("$")
        return (int(n), int(r), int(p)) < (_params.n, _params.r, _params.p)
    except ValueError:
        return True
