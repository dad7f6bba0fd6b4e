"""registers/lessons.yaml: the lessons learned log."""

from .types import Date, Id, Strict, Text


class Lesson(Strict):
    id: Id
    title: Text
    date: Date
    lesson: Text  # what happened, and what was learned
    recommendation: Text | None = None  # for the next edition, or another region
    owner: Text | None = None


class LessonsFile(Strict):
    """registers/lessons.yaml: the lessons learned, for the next edition and for other
    regions that adopt the model (Part 3)."""

    lessons: list[Lesson] = []
