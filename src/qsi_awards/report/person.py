"""`qsi person`'s reporters: text or JSON, over privacy/person.py's Found."""

from __future__ import annotations

from typing import Any

from ..controls import escaped
from ..privacy.person import Found, Mention
from . import Reporter, json_text, writing
from .privacy import published_dict, shown


def _mention_dict(mention: Mention) -> dict[str, Any]:
    return {"path": mention.path, "line": mention.line, "field": mention.field or None,
            "text": mention.text, "term": mention.term,
            "published": (None if mention.published is None
                          else [published_dict(p) for p in mention.published])}


def to_json(found: Found) -> str:
    document = {
        "query": found.query,
        "programme": found.programme,
        "edition": found.edition,
        "searched_for": [{"kind": t.kind, "text": t.text, "why": t.why} for t in found.terms],
        "mentions": [_mention_dict(m) for m in found.mentions],
        "outputs": None if found.errors else [published_dict(p) for p in found.outputs()],
        "not_searched": [{"path": path, "why": why} for path, why in found.unread],
        "summary": {"mentions": len(found.mentions),
                    "files": len({m.path for m in found.mentions}),
                    "not_searched": len(found.unread), "errors": found.errors},
    }
    return json_text(document)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def to_text(found: Found) -> str:
    title = _one_line(f"{found.programme} {found.edition}")
    lines = [f"Mentions of {_one_line(found.query)} in {title}", "", "Searched for:"]
    lines += [f"  {t.kind} {_one_line(t.text)}: {t.why}" for t in found.terms]
    lines.append("")
    current = None
    for m in found.mentions:
        if m.path != current:
            lines.append(m.path)
            current = m.path
        where = "the file's name" if m.line is None else f"line {m.line}"
        label = f", {m.field}" if m.field and m.line is not None else ""
        lines.append(f"  {where}{label}: {_one_line(m.text)}")
        if m.published is not None:
            lines.append(f"    published in: {shown(m.published)}")
    if not found.mentions:
        lines.append("No file mentions them.")
    lines.append("")
    if found.errors:
        lines.append(f"The programme has {found.errors} error{'s' if found.errors != 1 else ''}, "
                     "so qsi cannot tell which outputs would publish these mentions: run "
                     "'qsi validate', fix them, and run this again.")
    elif found.mentions:
        outputs = found.outputs()
        lines.append("Outputs that would publish them: " + (shown(outputs) if outputs else
                                                           "none") + ".")
    for path, why in found.unread:
        lines.append(f"Not searched: {path}: {why}")
    files = len({m.path for m in found.mentions})
    lines.append(f"{len(found.mentions)} mention{'s' if len(found.mentions) != 1 else ''} in "
                 f"{files} file{'s' if files != 1 else ''}.")
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Found]] = {"text": writing(to_text), "json": writing(to_json)}
