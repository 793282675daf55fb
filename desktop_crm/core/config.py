"""Which database to open: `--db URL` > `DESKTOP_CRM_DB` > the config file > the user data folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktop_crm.core.paths import user_config_dir, user_data_dir

ENV_VAR = "DESKTOP_CRM_DB"


def config_file() -> Path:
    return user_config_dir() / "config.json"


def read_config() -> dict:
    path = config_file()
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_config(data: dict) -> None:
    path = config_file()
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def default_url() -> str:
    return f"sqlite:///{user_data_dir() / 'crm.sqlite3'}"


def normalize_url(value: str) -> str:
    """Accept a SQLAlchemy URL or a plain file path."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def resolve_db_url(cli_value: str | None = None) -> str:
    if cli_value:
        return normalize_url(cli_value)
    env = os.environ.get(ENV_VAR)
    if env:
        return normalize_url(env)
    configured = read_config().get("database_url")
    if configured:
        return normalize_url(configured)
    return default_url()


def sqlite_path(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)
