"""judges.yaml: the judging panel and their conflicts of interest."""

from .types import Email, Id, Strict, Text


class Conflicts(Strict):
    organisations: list[Text] = []
    entries: list[Id] = []


class Judge(Strict):
    id: Id
    name: Text
    organisation: Text
    github: Text | None = None
    categories: list[Id] | None = None
    conflicts: Conflicts = Conflicts()
    email: Email | None = None  # where their letters and reminders go (qsi render letters)


class JudgesFile(Strict):
    """judges.yaml: the judging panel and their conflicts of interest."""

    judges: list[Judge]
