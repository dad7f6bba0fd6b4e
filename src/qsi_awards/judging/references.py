"""Neutral entry references: what judges see instead of entry IDs.

An entry ID is a slug of its title and often of its organisation
(`maidstone-and-tunbridge-wells-nhs-trust-safety-huddles`), so judges never see it.
They see a reference such as `E-7K3Q9X` instead: `E-` and six characters of
Crockford's base 32 (digits and capital letters without I, L, O and U, so nothing
can be misread), taken from the SHA-256 of the programme's edition and the entry
ID. It says nothing about the entry, and it is the same for every judge, in every
pack and on every run, so anything given to judges later can quote it too.

Two entries could draw the same six characters (about one chance in 8,600 in a
programme of 500 entries, one in 21 in one of 10,000). References are handed out in
the order the entries were submitted (then by ID), and an entry whose reference is
already taken draws again (`#1`, `#2`, ... added to what is hashed), so every
reference is unique and an entry added later never changes the reference of one
submitted before it.

A judge may write their ballot with the references their pack shows: `entry_of` reads a
name in a ballot as an entry, and `resolved` gives the ballot with entry IDs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Container, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Ballot
    from ..programme import Programme

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
LENGTH = 6
PREFIX = "E-"


def draw(edition: str, entry_id: str, attempt: int = 0) -> str:
    """The reference an entry draws on its `attempt`-th try (0 first): the first 30
    bits of the SHA-256 of `<edition>\n<entry id>` (then `#<attempt>` after the first
    try) as six base-32 characters, most significant first."""
    text = f"{edition}\n{entry_id}" + (f"#{attempt}" if attempt else "")
    number = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:4], "big") >> 2
    return PREFIX + "".join(ALPHABET[(number >> shift) & 31]
                            for shift in range(5 * (LENGTH - 1), -1, -5))


def references(edition: str, submitted: Mapping[str, str]) -> dict[str, str]:
    """Entry ID -> its reference, for every entry of a programme (`submitted` maps
    each entry ID to its submission date, YYYY-MM-DD)."""
    taken: set[str] = set()
    found: dict[str, str] = {}
    for entry_id in sorted(submitted, key=lambda e: (submitted[e], e)):
        attempt = 0
        while (reference := draw(edition, entry_id, attempt)) in taken:
            attempt += 1
        taken.add(reference)
        found[entry_id] = reference
    return found


def of_programme(prog: Programme) -> dict[str, str]:
    """Entry ID -> reference for every entry of a loaded programme."""
    submitted = {entry_id: entry.front.submitted.isoformat()
                 for entry_id, entry in prog.entries.items()}
    return references(prog.settings.edition, submitted)


def entry_of(name: str, entry_ids: Container[str], by_reference: Callable[[], Mapping[str, str]]
             ) -> str:
    """The entry a ballot names by `name`: an entry ID as it is; else a reference, in either
    case, as its entry's ID (`by_reference` maps each reference to it, and is only asked
    for then); else `name` as written, for the checks to report."""
    if name in entry_ids:
        return name
    return by_reference().get(name.upper(), name)


def resolved(ballot: Ballot, entry_of: Callable[[str], str]) -> Ballot:
    """`ballot` with every finalist it names (ranked, tied or declared a conflict with)
    as `entry_of` reads it; a conflict declared twice (by ID and by reference) keeps the
    first reason."""
    ranking = None if ballot.ranking is None else [
        entry_of(place) if isinstance(place, str) else [entry_of(name) for name in place]
        for place in ballot.ranking]
    conflicts: dict[str, str] = {}
    for name, why in ballot.conflicts.items():
        conflicts.setdefault(entry_of(name), why)
    return ballot.model_copy(update={"ranking": ranking, "conflicts": conflicts})
