"""The service-desk phrasebook (话术, seed 002 §2.3): what to say in a situation, and what must not be said.

Shipped in Chinese and English (resources/phrasebook/phrases.json) and loaded into the `phrases`
table the first time it is read; from then on it is data that administrators edit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_crm.core.errors import NotFound, ValidationError
from desktop_crm.core.i18n import N_, _, gettext
from desktop_crm.core.models import Phrase
from desktop_crm.core.paths import resources_dir
from desktop_crm.core.services import audit
from desktop_crm.core.services.context import Ctx
from desktop_crm.core.services.permissions import require_role

LANGS = ("zh_CN", "en")
SITUATIONS: dict[str, str] = {
    "greeting": N_("Greeting"),
    "silent_line": N_("Silent line"),
    "low_voice": N_("Low voice"),
    "noisy_line": N_("Noisy line"),
    "dialect": N_("Dialect"),
}


def situation_label(key: str) -> str:
    return gettext(SITUATIONS.get(key, key))


@dataclass(frozen=True)
class PhraseView:
    id: int
    situation: str
    lang: str
    position: int
    say: str
    avoid: str
    active: bool


def shipped() -> list[dict]:
    data = json.loads((resources_dir() / "phrasebook" / "phrases.json").read_text(encoding="utf-8"))
    return data["phrases"]


def _load_shipped(s: Session, ctx: Ctx | None) -> int:
    n = 0
    for p in shipped():
        for lang in LANGS:
            part = p.get(lang)
            if part:
                s.add(Phrase(situation=p["situation"], lang=lang, position=p.get("position", 0), say=part["say"],
                             avoid=part.get("avoid"), active=True, updated_at=datetime.now().replace(microsecond=0)))
                n += 1
    s.flush()
    audit.record(s, ctx.actor if ctx else None, "phrase", None, "load_shipped", {"phrases": (None, n)})
    return n


def ensure_loaded(ctx: Ctx) -> None:
    """Load the shipped phrases into an empty table (first run)."""
    with ctx.db.read() as s:
        if s.scalar(select(func.count(Phrase.id))):
            return
    with ctx.db.write() as s:
        if not s.scalar(select(func.count(Phrase.id))):
            _load_shipped(s, ctx)


def _view(p: Phrase) -> PhraseView:
    return PhraseView(p.id, p.situation, p.lang, p.position, p.say, p.avoid or "", p.active)


def phrases(ctx: Ctx, lang: str | None = None, *, situation: str | None = None,
            include_inactive: bool = False) -> list[PhraseView]:
    """Phrases in display order; `lang` None = every language."""
    ensure_loaded(ctx)
    with ctx.db.read() as s:
        q = select(Phrase)
        if lang:
            q = q.where(Phrase.lang == lang)
        if situation:
            q = q.where(Phrase.situation == situation)
        if not include_inactive:
            q = q.where(Phrase.active.is_(True))
        order = {k: i for i, k in enumerate(SITUATIONS)}
        rows = [_view(p) for p in s.scalars(q.order_by(Phrase.position, Phrase.id))]
    return sorted(rows, key=lambda p: (order.get(p.situation, 99), p.position, p.id))


def _clean(situation: str, lang: str, say: str, avoid: str | None) -> dict[str, object]:
    errors = {}
    if situation not in SITUATIONS:
        errors["situation"] = _("is not one of: {keys}").format(keys=", ".join(SITUATIONS))
    if lang not in LANGS:
        errors["lang"] = _("is not one of: {keys}").format(keys=", ".join(LANGS))
    say = (say or "").strip()
    if not say:
        errors["say"] = _("is required: the words to say")
    if errors:
        raise ValidationError(errors)
    return {"situation": situation, "lang": lang, "say": say, "avoid": (avoid or "").strip() or None}


def save(ctx: Ctx, *, phrase_id: int | None = None, situation: str, lang: str, say: str, avoid: str | None = None,
         position: int | None = None, active: bool = True) -> PhraseView:
    """Administrators add or edit a phrase; audited."""
    require_role(ctx.actor, "admin", _("Only administrators edit the phrasebook."))
    values = _clean(situation, lang, say, avoid)
    values["active"] = bool(active)
    ensure_loaded(ctx)
    with ctx.db.write() as s:
        if phrase_id is None:
            if position is None:
                position = (s.scalar(select(func.max(Phrase.position)).where(
                    Phrase.situation == situation, Phrase.lang == lang)) or 0) + 1
            p = Phrase(position=position, **values)
            s.add(p)
            s.flush()
            audit.record(s, ctx.actor, "phrase", p.id, "create", {k: (None, v) for k, v in values.items()},
                         label=situation)
        else:
            p = s.get(Phrase, phrase_id)
            if p is None:
                raise NotFound(_("Phrase not found."))
            if position is not None:
                values["position"] = position
            before = {k: getattr(p, k) for k in values}
            for k, v in values.items():
                setattr(p, k, v)
            changed = audit.diff(before, values)
            if changed:
                audit.record(s, ctx.actor, "phrase", p.id, "update", changed, label=p.situation)
        p.updated_at, p.updated_by_id = datetime.now().replace(microsecond=0), ctx.actor.id
        s.flush()
        return _view(p)


def delete(ctx: Ctx, phrase_id: int) -> None:
    require_role(ctx.actor, "admin", _("Only administrators edit the phrasebook."))
    with ctx.db.write() as s:
        p = s.get(Phrase, phrase_id)
        if p is None:
            raise NotFound(_("Phrase not found."))
        audit.record(s, ctx.actor, "phrase", p.id, "delete", {"say": (p.say, None)}, label=p.situation)
        s.delete(p)


def reset_to_shipped(ctx: Ctx) -> int:
    """Replace every phrase by the shipped ones (admin)."""
    require_role(ctx.actor, "admin", _("Only administrators edit the phrasebook."))
    with ctx.db.write() as s:
        for p in s.scalars(select(Phrase)):
            s.delete(p)
        s.flush()
        return _load_shipped(s, ctx)


def fill(text: str, *, company: str = "", agent: str = "", surname: str = "") -> str:
    """Put the company, the representative and the caller's surname into a phrase."""
    return (text.replace("{company}", company or "XX").replace("{agent}", agent or "YYY")
            .replace("{surname}", surname or "X"))
