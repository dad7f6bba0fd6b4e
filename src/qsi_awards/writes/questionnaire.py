"""The entry form a programme's rules ask for, as a Microsoft Forms or Google Forms
questionnaire: the questions in order, with the categories and the word limits, and the
entry map (forms/entry-map.yaml) that turns its export into entries.

`qsi init` writes both from the programme it scaffolds, the map as a file and the
questions into the programme's README, so the two always agree: each question's text
is its column's header in the export, which is what the map names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import Category, ProgrammeFile
from ..render.text import md_escape, settings_words
from .new_entry import every_section
from .yaml_scalars import quoted, scalar

MAP = "forms/entry-map.yaml"  # where `qsi init` puts the map, and import looks for it
YES, NO = "Yes", "No"
CONSENT = "Yes, the programme may publish this entry"


@dataclass(frozen=True)
class Question:
    field: str  # the map's name for it: a key under columns:, or 'section:<title>'
    text: str  # the question, and so the header of its column in the export
    kind: str  # how it is asked
    note: str = ""  # what to tell the entrant under the question
    choices: tuple[str, ...] = ()
    required: bool = True


def _limit(words: int | None) -> str:
    return f"At most {words} words." if words else ""


def _only(category_ids: list[str], categories: list[Category]) -> str:
    """'For entries in <category> only.' for a section only some categories ask for."""
    if not category_ids:
        return ""
    titles = [" ".join(c.title.split()) for c in categories if c.id in category_ids]
    return f"For entries in {' or '.join(titles)} only."


def _eligibility(settings: ProgrammeFile, category: Category) -> str:
    """Who may enter a category, in words ('' when anyone may)."""
    rules = []
    if category.accepts:
        rules.append(f"{settings_words(settings, category.accepts)} work only")
    if category.requires_patient_involvement:
        rules.append("patients or the public must have shaped the work")
    return "; ".join(rules)


def questions(settings: ProgrammeFile, categories: Iterable[Category]) -> list[Question]:
    """The questions of the entry form, in order."""
    listed = list(categories)
    return [
        Question("title", "Project title", "Text", "The title of your project, as it would "
                 "appear on a certificate."),
        Question("category", "Award category", "Choice",
                 "Choose the one category your entry is for.",
                 tuple(" ".join(category.title.split()) for category in listed)),
        Question("organisation", "Organisation", "Text",
                 "The organisation that did the work, in full."),
        Question("care_setting", "Care setting", "Choice", "Where the work was done.",
                 tuple(setting.label for setting in settings.settings)),
        Question("lead_name", "Project lead's name", "Text"),
        Question("lead_role", "Project lead's job title", "Text", required=False),
        Question("lead_email", "Project lead's work e-mail address", "Text",
                 "We will write to the project lead at this address."),
        Question("team", "Other team members", "Long answer",
                 "One name per line, or separated by commas.", required=False),
        Question("patient_involvement",
                 "Did patients, carers or the public help shape the work?", "Choice",
                 choices=(YES, NO)),
        Question("summary", "Summary", "Long answer",
                 f"One paragraph. {_limit(settings.entry_rules.summary_max_words)}".strip()),
        *(Question(f"section:{section.title}", " ".join(section.title.split()), "Long answer",
                   " ".join(filter(None, (_limit(section.max_words), _only(only, listed)))),
                   required=not only)
          for section, only in every_section(settings, listed)),
        Question("consent_to_publish", "Consent to publish", "Choice",
                 "May the programme publish your entry on its website and in its "
                 "announcements? Judges read it either way.", (CONSENT, NO)),
    ]


def form_name(settings: ProgrammeFile) -> str:
    return f"{' '.join(settings.name.split())} {' '.join(settings.edition.split())} entry form"


def map_text(settings: ProgrammeFile, categories: Mapping[str, Category]) -> str:
    """forms/entry-map.yaml for the questionnaire, as exported by Microsoft Forms."""
    asked = questions(settings, categories.values())
    columns = [question for question in asked if not question.field.startswith("section:")]
    sections = [question for question in asked if question.field.startswith("section:")]
    lines = [
        "# How the responses to the entry form become entries: qsi import entries EXPORT.",
        "# The form's questions are in README.md. On the right of each field is the header",
        "# of its column in the export, which is the question's text (case and spaces do not",
        "# matter): if you reword a question in the form, reword it here too.",
        "# The form's name, recorded in each entry made from it with the response's ID:",
        f"form: {quoted(form_name(settings))}",
        "dates: day-first  # 28/01/2020 is 28 January; month-first reads 01/28/2020",
        "columns:",
        "  response: ID  # Google Forms has no ID column: write Timestamp",
        "  submitted: Completion time  # Google Forms: Timestamp",
        *(f"  {question.field}: {quoted(question.text)}" for question in columns),
        "sections:  # each of programme.yaml's sections, and its question",
        *(f"  {quoted(question.field.removeprefix('section:'))}: {quoted(question.text)}"
          for question in sections),
        "answers:  # what each choice in the form means",
        "  category:",
        *(f"    {quoted(' '.join(category.title.split()))}: {scalar(category.id)}"
          for category in categories.values()),
        "  care_setting:",
        *(f"    {quoted(setting.label)}: {setting.id}" for setting in settings.settings),
        "  patient_involvement:",
        f"    {quoted(YES)}: true",
        f"    {quoted(NO)}: false",
        "  consent_to_publish:  # an unanswered question is false",
        f"    {quoted(CONSENT)}: true",
        f"    {quoted(NO)}: false",
        "# Responses never to import (a test, a duplicate, a withdrawn entry), by their ID:",
        '# ignore_responses: ["3"]',
    ]
    return "\n".join(lines) + "\n"


def markdown(settings: ProgrammeFile, categories: Mapping[str, Category]) -> str:
    """The questionnaire, as numbered Markdown for the programme's README."""
    lines = []
    eligibility = {" ".join(category.title.split()): _eligibility(settings, category)
                   for category in categories.values()}
    for number, question in enumerate(questions(settings, categories.values()), 1):
        how = question.kind.lower() + ("" if question.required else ", optional")
        note = f" {md_escape(question.note)}" if question.note else ""
        item = f"{number}. "
        lines.append(f"{item}**{md_escape(question.text)}** ({how}).{note}")
        for choice in question.choices:  # indented under the item's text, so inside it
            rule = eligibility.get(choice)
            lines.append(f"{' ' * len(item)}- {md_escape(choice)}"
                         + (f" *({md_escape(rule)})*" if rule else ""))
    return "\n".join(lines)
