"""rounds/<round>/ballots/<judge>.yaml: one judge's ballots in a ranked round."""

from typing import Annotated, Any

from pydantic import Discriminator, Field, StringConstraints, Tag

from .types import ID_PATTERN, Id, Strict, Text


def _shape(value: Any) -> str:
    return "tied" if isinstance(value, list) else "one"


# A finalist as a ballot names it: its entry ID, or the neutral reference the judge's pack
# shows (judging/references.py), in either case: E- and six of Crockford's base-32
# characters (digits and letters but I, L, O and U). Programme.ballots reads a reference
# as its entry's ID.
REFERENCE_PATTERN = r"^[Ee]-[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{6}$"
FINALIST_PATTERN = rf"^(?:{ID_PATTERN[1:-1]}|{REFERENCE_PATTERN[1:-1]})$"
FinalistKey = Annotated[str, StringConstraints(pattern=FINALIST_PATTERN)]  # a mapping's key
Finalist = Annotated[FinalistKey, Field(description=(
    "A finalist: its entry ID, or its reference as the judge pack shows it (E-7K3Q9X, in "
    "either case)."))]

# A place in a ranking: one entry, or a list of entries tied at that place. The
# discriminator checks a value against one branch only, so a problem gets one finding.
Place = Annotated[
    Annotated[Finalist, Tag("one")]
    | Annotated[Annotated[list[Finalist], Field(min_length=1)], Tag("tied")],
    Discriminator(_shape),
]


class Ballot(Strict):
    """One judge's ranking of one category's finalists, best first. Finalists left out
    rank equal, below every one ranked; `conflicts` declares recusals (entry -> why). A
    finalist is named by its entry ID or by its reference."""

    ranking: list[Place] | None = None  # null until ranked
    conflicts: dict[FinalistKey, Text] = {}
    comment: str | None = None


class BallotSheetFile(Strict):
    """rounds/<round>/ballots/<judge>.yaml: category -> ballot."""

    judge: Id
    ballots: dict[Id, Ballot | None] | None = None
