"""`qsi privacy`'s reporters: text or JSON, over privacy/inventory.py's Inventory."""

from __future__ import annotations

from typing import Any

from ..controls import escaped
from ..privacy.inventory import Contact, Inventory, a
from ..privacy.where import OUTPUTS, Published
from . import Reporter, json_text, writing

AWARD_WORDS = {"winner": "winner", "highly_commended": "highly commended",
               "shortlisted": "shortlisted", None: "not shortlisted"}


def published_dict(item: Published) -> dict[str, Any]:
    return {"output": item.output, "files": list(item.files), "public": item.public,
            "anonymised": item.anonymised}


def _contact_dict(contact: Contact) -> dict[str, Any]:
    return {"path": contact.path, "line": contact.line, "field": contact.field,
            "kind": contact.kind, "published": [published_dict(p) for p in contact.published],
            "problem": contact.problem}


def to_json(inventory: Inventory) -> str:
    document = {
        "programme": inventory.programme,
        "edition": inventory.edition,
        "outputs": OUTPUTS,
        "holdings": [{"file": h.file, "field": h.field, "holds": h.holds, "about": h.about,
                      "values": h.values, "people": h.people,
                      "published": [{"output": output, "when": when}
                                    for output, when in h.where]}
                     for h in inventory.holdings],
        "entries": [{"entry": c.entry, "path": c.path, "consent_to_publish": c.consent,
                     "award": c.award} for c in inventory.consent],
        "contact_details": [_contact_dict(c) for c in inventory.contacts],
        "summary": {"entries": len(inventory.consent),
                    "consented": sum(1 for c in inventory.consent if c.consent),
                    "contact_details": len(inventory.contacts),
                    "problems": len(inventory.problems)},
    }
    return json_text(document)


def shown(published: list[Published]) -> str:
    """'site (entries/x.html), certificates (...)', or 'not published'."""
    if not published:
        return "not published"
    return "; ".join(f"{p.output}" + (f" ({', '.join(p.files)})" if p.files else "")
                     + (", anonymised" if p.anonymised else "") for p in published)


def to_text(inventory: Inventory) -> str:
    title = " ".join(f"{inventory.programme} {inventory.edition}".split())
    lines = [f"Personal data in {title}", ""]
    current = None
    for h in inventory.holdings:
        if h.file != current:
            lines.append(h.file)
            current = h.file
        people = f", {h.people} {'person' if h.people == 1 else 'people'}" \
            if h.people is not None else ""
        where = "; ".join(f"{output} ({when})" for output, when in h.where) or "not published"
        lines.append(f"  {h.field}: {h.holds} ({h.about}): {h.values}{people}")
        lines.append(f"    published in: {where}")
    lines.append("every YAML file")
    lines.append("  comments (# ...): free text (anyone they name)")
    lines.append("    published in: nowhere, but anyone who can read the repository reads them")
    lines.append("")
    used = {output for h in inventory.holdings for output, _ in h.where}
    lines.append("Outputs: " + "; ".join(f"{output}: {words}" for output, words in OUTPUTS.items()
                                         if output in used) + ".")
    lines.append("")
    consented = [c for c in inventory.consent if c.consent]
    refused = [c for c in inventory.consent if not c.consent]
    lines.append(f"Consent to publish: {len(consented)} of {len(inventory.consent)} entries.")
    if refused:
        lines.append("  Not given: " + ", ".join(
            f"{c.entry} ({AWARD_WORDS.get(c.award, c.award)})" for c in refused) + ".")
    lines.append("")
    contacts = inventory.contacts
    if contacts:
        lines.append(f"Contact details in text fields: {len(contacts)}")
        for c in contacts:
            mark = "PROBLEM " if c.problem else ""
            lines.append(f"  {mark}{c.path}:{c.line}: {c.field}: {a(c.kind)}; "
                         f"{shown(c.published)}")
            if c.problem:
                lines.append(f"    {c.problem}.")
    else:
        lines.append("Contact details in text fields: none (no e-mail address or phone number "
                     "outside the leads' e-mail fields).")
    problems = len(inventory.problems)
    lines += ["", f"{problems} problem{'s' if problems != 1 else ''}: "
              + ("contact details qsi would publish without a basis." if problems else
                 "nothing is published without a basis.")]
    return escaped("\n".join(lines) + "\n")


REPORTERS: dict[str, Reporter[Inventory]] = {"text": writing(to_text), "json": writing(to_json)}
