"""The programme's own themes and care settings (programme.yaml `themes:` and
`settings:`), and the fields that cannot go together.

- duplicate-id: two themes, or two care settings, with one ID.
- unknown-theme: a category whose theme programme.yaml does not define.
- unknown-setting: a category's setting (or settings), an entry's care_setting, that
  programme.yaml does not define.
- conflicting-fields: a category with both setting: and settings:, or an entry both
  withdrawn: and disqualified:.

The JSON Schemas cannot list a programme's own values, so these are checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..load import CATEGORIES, PROGRAMME
from .context import Context
from .references import duplicates as duplicates


def check(ctx: Context) -> Iterator[Finding]:
    folder = ctx.folder
    settings = ctx.settings
    if settings is not None:
        doc = folder.docs[PROGRAMME]
        yield from duplicates(doc, ("themes",), enumerate(t.id for t in settings.themes),
                              "theme")
        yield from duplicates(doc, ("settings",),
                              enumerate(s.id for s in settings.settings), "care setting")
    themes = [t.id for t in settings.themes] if settings is not None else []
    known = [s.id for s in settings.settings] if settings is not None else []
    seen: set[str] = set()
    for index, category_id in folder.listed.get((CATEGORIES, "categories"), []):
        category = folder.categories.get(category_id)
        if category is None or category_id in seen:
            continue
        seen.add(category_id)
        doc = folder.docs[CATEGORIES]
        where = ("categories", index)
        if settings is not None and category.theme not in themes:
            yield doc.finding("unknown-theme", (
                f"The theme '{category.theme}' is not one of the programme's; use one of "
                f"{', '.join(themes)}, or add it to themes: in programme.yaml."),
                (*where, "theme"))
        if category.setting is not None and category.settings is not None:
            yield doc.finding("conflicting-fields", (
                f"'{category_id}' has both setting: and settings:; keep settings: (a list "
                "of every care setting it accepts) and remove setting:."),
                (*where, "setting"), at_key=True)
        named = ([((*where, "setting"), category.setting)] if category.setting else []) + [
            ((*where, "settings", i), s) for i, s in enumerate(category.settings or [])]
        for loc, setting in named:
            if settings is not None and setting not in known:
                yield doc.finding("unknown-setting", _unknown(setting, known), loc)
    for entry in folder.entries.values():
        front = entry.front
        if settings is not None and front.care_setting not in known:
            yield entry.doc.finding("unknown-setting", _unknown(front.care_setting, known),
                                    ("care_setting",))
        if front.withdrawn is not None and front.disqualified is not None:
            yield entry.doc.finding("conflicting-fields", (
                "This entry is both withdrawn: and disqualified:; keep the one that "
                "happened (withdrawn by its team, or disqualified by the programme team)."),
                ("disqualified",), at_key=True)


def _unknown(setting: str, known: list[str]) -> str:
    return (f"The care setting '{setting}' is not one of the programme's; use one of "
            f"{', '.join(known)}, or add it to settings: in programme.yaml.")
