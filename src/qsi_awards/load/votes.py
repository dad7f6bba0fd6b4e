"""A ballots file for `qsi vote`: one ballot group per line, `COUNT: A > B = C > D`.

Candidates are IDs; a candidate a line leaves out is unranked (tied below every one it
ranks); `#` starts a comment; blank lines are skipped. The candidates are every ID on
any line. A line that cannot be read is a finding (`vote-line`) at its line and column,
and the whole file is read, never stopping at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..controls import escaped
from ..errors import QsiError
from ..findings import Finding, finding
from ..judging.schulze import Ballot
from .folder import ID_RE, MAX_BYTES

_LINE = re.compile(r"\s*(?P<count>[^:]*?)\s*:(?P<ranking>.*)\Z")


@dataclass
class Votes:
    label: str  # the file as given, for messages
    ballots: list[Ballot] = field(default_factory=list)
    candidates: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)


def read(path: Path) -> Votes:
    """The ballots of the file at `path`; QsiError (exit 2) when it cannot be read."""
    from ..fileio import read_file

    try:
        data = read_file(path, MAX_BYTES, follow_links=True)
    except FileNotFoundError:
        raise QsiError(f"There is no file {path}; give the ballots file to count.") from None
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        raise QsiError(f"{path} cannot be read ({reason}); give an ordinary text file of at "
                       "most 1 MiB.") from None
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise QsiError(f"{path} is not UTF-8 text; save it as UTF-8.") from None
    return parse(text, str(path))


def parse(text: str, label: str) -> Votes:
    votes = Votes(label)
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        content = line.split("#", 1)[0]
        if not content.strip():
            continue
        ballot = _ballot(votes, number, content)
        if ballot is not None:
            votes.ballots.append(ballot)
            votes.candidates.update(name for group in ballot.groups for name in group)
    return votes


def _ballot(votes: Votes, number: int, line: str) -> Ballot | None:
    def problem(column: int, message: str) -> None:
        votes.findings.append(finding(votes.label, number, column, "vote-line", message))

    match = _LINE.match(line)
    if match is None:
        problem(1, "This line has no ':'; write a ballot group as COUNT: A > B = C, such as "
                   "'3: falls-huddles > sepsis-screening'.")
        return None
    count_text = match.group("count")
    if not re.fullmatch(r"[1-9][0-9]{0,8}", count_text):
        problem(line.index(count_text) + 1 if count_text else 1, (
            f"'{escaped(count_text[:40])}' is not a number of ballots; start the line with a "
            "whole number of at least 1, then ':'."))
        return None
    ranking = match.group("ranking")
    start = match.start("ranking")
    groups: list[frozenset[str]] = []
    seen: set[str] = set()
    good = True
    offset = start
    for part in ranking.split(">"):
        names = []
        inner = offset
        for piece in part.split("="):
            name = piece.strip()
            column = inner + len(piece) - len(piece.lstrip()) + 1
            inner += len(piece) + 1
            if not name:
                problem(column, "A candidate is missing here (two signs in a row, or one at "
                                "an end); write an ID between every > and =.")
                good = False
            elif not ID_RE.match(name):
                problem(column, (
                    f"'{escaped(name[:40])}' is not a candidate ID: use lower-case letters, "
                    "digits and dashes, starting with a letter or digit (at most 64)."))
                good = False
            elif name in seen:
                problem(column, f"'{name}' is ranked twice in this line; rank it once.")
                good = False
            else:
                seen.add(name)
                names.append(name)
        offset += len(part) + 1
        groups.append(frozenset(names))
    if not good:
        return None
    return Ballot(tuple(groups), count=int(count_text))
