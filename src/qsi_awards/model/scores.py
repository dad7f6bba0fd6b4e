"""scores/<judge>.yaml: one judge's score sheet."""

from pydantic import BaseModel, ConfigDict, Field

from .types import Id, Score, Strict, Text


class Judgement(BaseModel):
    """One entry in a score sheet: a score per criterion (null until scored), an
    optional comment (the entrant reads it, anonymised, in their feedback report), a
    private comment (for the panel only), or `conflict: reason` for a declared recusal."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, Score] = Field(init=False)  # criterion id -> score

    conflict: Text | None = None
    comment: str | None = None
    private_comment: str | None = None  # never reaches the entrant

    def criterion_scores(self) -> dict[str, int | None]:
        return dict(self.__pydantic_extra__ or {})


class ScoreSheetFile(Strict):
    """scores/<judge>.yaml: one judge's score sheet."""

    judge: Id
    scores: dict[Id, Judgement | None] | None = None
