"""`qsi archive`'s reporters: text or JSON, over what writes/archive.py wrote."""

from __future__ import annotations

from ..controls import escaped
from ..privacy.archive import RULE_WORDS
from ..privacy.contacts import EMAIL, PHONE_NUMBER
from ..writes.archive import Written
from . import Reporter, json_text, writing

# what Archived.removed counts -> how to say it
REMOVED = {"name": "names", EMAIL: "e-mail addresses", PHONE_NUMBER: "phone numbers",
           "handle": "GitHub handles", "contact": "adoption contacts",
           "judge": "judges pseudonymised", "note": "judges' notes"}


def to_json(written: Written) -> str:
    archived = written.archived
    rules = archived.rules
    document = {
        "folder": str(written.folder),
        "edition": archived.edition,
        "rules": rules.model_dump(mode="json"),
        "files": sorted(archived.files),
        "names_kept": archived.kept,
        "removed": {REMOVED[key]: archived.removed[key] for key in REMOVED},
        "warnings": archived.warnings,
    }
    return json_text(document)


def to_text(written: Written) -> str:
    archived = written.archived
    rules = archived.rules
    count = len(archived.files)
    lines = [f"Wrote an archive of the {archived.edition} edition under {written.folder} "
             f"({count} file{'s' if count != 1 else ''}), by the retention rules:"]
    lines += [f"  {name}: {getattr(rules, name)} ({words[getattr(rules, name)]})"
              for name, words in RULE_WORDS.items()]
    removed = ", ".join(f"{archived.removed[key]} {words}" for key, words in REMOVED.items()
                        if archived.removed[key])
    kept = len(archived.kept)
    lines.append(f"Names kept for {kept} {'entry' if kept == 1 else 'entries'}. Taken out "
                 f"(names, addresses, numbers and handles counted where they were): "
                 f"{removed or 'nothing'}.")
    lines += [f"warning: {warning}" for warning in archived.warnings]
    lines.append(f"'qsi tally -p {written.folder}' gives the same results as the programme's. "
                 f"Read {written.folder / 'ARCHIVE.md'}, and the archive's free text, before "
                 "you share it.")
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Written]] = {"text": writing(to_text), "json": writing(to_json)}
