"""`qsi guard`: may the author of a pull request make the changes it makes? (SPEC §6)

Who may change what is read from git **at the base**, never from the pull request
itself, so a pull request cannot grant its own author rights:

- maintainers (programme.yaml `maintainers`) may change anything;
- a judge (judges.yaml `github`) may change only their own scores/<judge>.yaml, and
  within it only the entries already in it at the base: adding or removing an entry,
  changing `judge:` (or any field beside `scores`), or adding, deleting or renaming the
  sheet is a violation;
- an entrant may change or delete an entry whose `submitted_by` at the base is them,
  and add an entry whose `submitted_by` in the pull request is them; a rename counts as
  a deletion of the old file and an addition of the new one;
- nobody else may change anything.

Rules are additive: a judge may also be an entrant. GitHub handles compare
case-insensitively, with or without a leading '@'. A changed file guard cannot read,
on either side of the change (a symbolic link, a git submodule, a folder, over 1 MiB,
not UTF-8, broken front matter or YAML), is a violation for everyone but maintainers,
because guard cannot tell whose it is or what it holds.

Two rules about entries, for everyone but maintainers:
- a new entry may not arrive after the submission deadline (programme.yaml at the
  base), unless decisions.yaml at the base extends the deadline for it or accepts it
  late (deadline_exceptions); "today" is the evidence of arrival, never `submitted:`;
- an entry that is already being judged (it is in a judge's score sheet at the base)
  may not move to another category: the judges were chosen for the category.

Codes: guard-not-allowed, guard-sheet-entry, guard-sheet-field, guard-unreadable,
guard-late-entry, guard-category-move, guard-other-committer (see `other_committers`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gitops
from .dates import long_date
from .errors import QsiError
from .findings import Checked, Finding, finding, sort_key
from .load import split_front_matter, yamlparse

_ENTRY = re.compile(r"entries/([^/]+)\.md\Z")
_SHEET = re.compile(r"scores/([^/]+)\.yaml\Z")


def _entry_id(path: str) -> str:
    """The ID of an entry from its path (one that matches _ENTRY)."""
    return path.removeprefix("entries/").removesuffix(".md")


def handle_key(handle: str) -> str:
    """GitHub handles are case-insensitive; '@name' and 'name' are the same person."""
    return handle.strip().removeprefix("@").casefold()


@dataclass(frozen=True)
class Policy:
    """Who may change what, as the base says."""

    maintainers: tuple[str, ...]  # as written, for messages
    sheets: dict[str, frozenset[str]] = field(default_factory=dict)  # handle key -> judge ids
    deadline: dt.date | None = None  # the submission_deadline milestone
    # entry id -> its extended deadline, or None when it was accepted late (decisions.yaml)
    exceptions: dict[str, dt.date | None] = field(default_factory=dict)

    def is_maintainer(self, author: str) -> bool:
        return handle_key(author) in {handle_key(m) for m in self.maintainers}

    def judge_ids(self, author: str) -> frozenset[str]:
        return self.sheets.get(handle_key(author), frozenset())


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _yaml(text: str) -> Any:
    try:
        data, _ = yamlparse.parse(text)
    except yamlparse.YamlError as error:
        problem = error.problem
        raise _Unreadable(f"its YAML cannot be read at line {problem.line}") from None
    return data


def policy_at(root: Path, base: str) -> Policy:
    """The maintainers and judges' handles at the base. A base without a readable
    programme.yaml cannot be guarded (exit 2); broken judges.yaml gives judges no rights."""
    try:
        text = gitops.show(root, base, "programme.yaml")
        if text is None:
            raise QsiError(f"There is no programme.yaml at {base}, so guard cannot tell who "
                           "may change what; give the base the pull request started from "
                           "with --base REF.")
        settings = _yaml(text)
    except (gitops.UnreadableFile, _Unreadable) as error:
        raise QsiError(f"programme.yaml at {base} cannot be read ({error}), so guard cannot "
                       "tell who may change what; fix it on the base branch first.") from None
    maintainers: tuple[str, ...] = ()
    if isinstance(settings, dict) and isinstance(settings.get("maintainers"), list):
        maintainers = tuple(m for m in settings["maintainers"] if isinstance(m, str) and m)
    sheets: dict[str, set[str]] = {}
    try:
        judges_text = gitops.show(root, base, "judges.yaml")
        judges = _yaml(judges_text) if judges_text is not None else None
    except (gitops.UnreadableFile, _Unreadable):
        judges = None
    panel = judges.get("judges") if isinstance(judges, dict) else None
    for judge in panel if isinstance(panel, list) else []:
        if not isinstance(judge, dict):
            continue
        judge_id, handle = judge.get("id"), judge.get("github")
        if isinstance(judge_id, str) and isinstance(handle, str) and handle.strip():
            sheets.setdefault(handle_key(handle), set()).add(judge_id)
    return Policy(maintainers, {k: frozenset(v) for k, v in sheets.items()},
                  _deadline(settings), _exceptions_at(root, base))


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _deadline(settings: Any) -> dt.date | None:
    timeline = settings.get("timeline") if isinstance(settings, dict) else None
    for milestone in timeline if isinstance(timeline, list) else []:
        if isinstance(milestone, dict) and milestone.get("kind") == "submission_deadline":
            return _date(milestone.get("date"))
    return None


def _exceptions_at(root: Path, base: str) -> dict[str, dt.date | None]:
    """The extensions and accepted late entries of decisions.yaml at the base. A record
    guard cannot make sense of grants nothing; `qsi validate` reports it."""
    try:
        text = gitops.show(root, base, "decisions.yaml")
        data = _yaml(text) if text is not None else None
    except (gitops.UnreadableFile, _Unreadable):
        return {}
    records = data.get("deadline_exceptions") if isinstance(data, dict) else None
    found: dict[str, dt.date | None] = {}
    for record in records if isinstance(records, list) else []:
        if not isinstance(record, dict) or not isinstance(record.get("entries"), list):
            continue
        if record.get("accepted_late") is True:
            until = None
        elif (extended := _date(record.get("extended_to"))) is not None:
            until = extended
        else:
            continue
        for entry_id in record["entries"]:
            if isinstance(entry_id, str):
                found.setdefault(entry_id, until)
    return found


@dataclass
class _Guard:
    root: Path
    base: str
    author: str
    policy: Policy
    today: dt.date
    found: list[Finding] = field(default_factory=list)
    _assigned: frozenset[str] | None = None

    # reading --------------------------------------------------------------------------

    def at_base(self, path: str) -> str | None:
        try:
            return gitops.show(self.root, self.base, path)
        except gitops.UnreadableFile as error:
            raise _Unreadable(error.reason) from None

    def at_head(self, path: str) -> str | None:
        try:
            return gitops.read_worktree(self.root, path)
        except gitops.UnreadableFile as error:
            raise _Unreadable(error.reason) from None

    def front_matter(self, path: str, side: str) -> tuple[str, Any]:
        """An entry's front matter text and data, on one side of the change."""
        text = self.at_base(path) if side == "base" else self.at_head(path)
        if text is None:  # listed as changed but gone: nothing to tell whose it is
            raise _Unreadable("it is missing")
        split = split_front_matter(text)
        if isinstance(split, str):
            raise _Unreadable("it has no front matter between '---' lines")
        data = _yaml(split[0])
        if not isinstance(data, dict):
            raise _Unreadable("its front matter is not a set of fields (name: value)")
        return split[0], data

    def assigned(self) -> frozenset[str]:
        """The entries in any judge's score sheet at the base (read once, when needed)."""
        if self._assigned is None:
            found: set[str] = set()
            for path in gitops.files_at(self.root, self.base, "scores"):
                try:
                    text = self.at_base(path) if _SHEET.match(path) else None
                    data = _yaml(text) if text is not None else None
                except _Unreadable:
                    continue
                scores = data.get("scores") if isinstance(data, dict) else None
                if isinstance(scores, dict):
                    found.update(key for key in scores if isinstance(key, str))
            self._assigned = frozenset(found)
        return self._assigned

    def add(self, path: str, code: str, message: str, line: int | None = None,
            column: int | None = None) -> None:
        self.found.append(finding(path, line, column, code, message))

    def unreadable(self, path: str, where: str, reason: str) -> None:
        self.add(path, "guard-unreadable", (
            f"qsi guard cannot read {path} {where} ({reason}), so it cannot tell whose it is; "
            f"only the programme team{self._team()} may make this change."))

    def _team(self) -> str:
        if not self.policy.maintainers:
            return ""
        return " (" + ", ".join(self.policy.maintainers) + ")"

    # the rules --------------------------------------------------------------------------

    def check(self, change: gitops.Change) -> None:
        if change.status == "R" and change.old_path is not None:
            before = self.check_side(change.old_path, "base", renamed_to=change.path)
            after = self.check_side(change.path, "head", renamed_from=change.old_path)
            self.check_move(change.old_path, change.path, before, after)
        elif change.status == "A":
            after = self.check_side(change.path, "head")
            if after is not None:
                self.check_late(change.path)
        elif change.status == "D":
            self.check_side(change.path, "base")
        else:  # M, T (type change), U (unmerged): both sides are the same path
            sheet = _SHEET.match(change.path)
            if sheet and sheet.group(1) in self.policy.judge_ids(self.author):
                self.check_own_sheet(change.path)
                return
            before = self.check_side(change.path, "base")
            if before is not None:  # their own entry: the pull request's side must be readable
                try:
                    after = self.front_matter(change.path, "head")
                except _Unreadable as error:
                    self.unreadable(change.path, "in this pull request", error.reason)
                    return
                self.check_move(change.path, change.path, before, after)

    def check_late(self, path: str) -> None:
        """A new entry: today is when it arrives, whatever its submitted: says."""
        deadline, entry_id = self.policy.deadline, _entry_id(path)
        if deadline is None:
            return
        which = f"the submission deadline ({long_date(deadline)})"
        if entry_id in self.policy.exceptions:
            extended = self.policy.exceptions[entry_id]
            if extended is None:  # accepted late
                return
            deadline, which = extended, f"its extended deadline ({long_date(extended)})"
        if self.today > deadline:
            self.add(path, "guard-late-entry", (
                f"{path} is a new entry, and {which} has passed; only the programme "
                f"team{self._team()} can accept a late entry: ask them, and if they agree "
                "they record it in decisions.yaml under deadline_exceptions."))

    def check_move(self, old_path: str, path: str, before: tuple[str, Any] | None,
                   after: tuple[str, Any] | None) -> None:
        """An entrant may not move an entry that judges already have to another category."""
        if before is None or after is None:
            return
        old, new = before[1].get("category"), after[1].get("category")
        if old == new or _entry_id(old_path) not in self.assigned():
            return
        line, column = _position(after[0], ("category",), offset=1)
        moved = f"to {new!r}" if isinstance(new, str) else "out of it"
        self.add(path, "guard-category-move", (
            f"{path} moves from the category {old!r} {moved}, but judges already have it "
            f"to score in {old!r}, and they were chosen for that category; only the "
            f"programme team{self._team()} can move it now, so ask them."), line, column)

    def check_side(self, path: str, side: str, renamed_to: str | None = None,
                   renamed_from: str | None = None) -> tuple[str, Any] | None:
        """An addition (side "head") or deletion or modification (side "base") of a file.
        The front matter of an entry the author may change on that side, else None."""
        sheet = _SHEET.match(path)
        if sheet and sheet.group(1) in self.policy.judge_ids(self.author):
            what = ("renamed" if renamed_to or renamed_from else
                    "added" if side == "head" else "deleted")
            self.add(path, "guard-not-allowed", (
                f"Your score sheet {path} may not be {what}; judges change only the scores "
                f"in it, and the programme team{self._team()} creates and removes sheets."))
            return None
        if _ENTRY.match(path):
            return self.check_entry(path, side, renamed_to, renamed_from)
        self.not_allowed(path)
        return None

    def not_allowed(self, path: str) -> None:
        judge_ids = sorted(self.policy.judge_ids(self.author))
        if judge_ids:
            own = ", ".join(f"scores/{judge_id}.yaml" for judge_id in judge_ids)
            why = f"as a judge you may change only your own score sheet ({own})"
        else:
            why = "entrants may change only entries that name them in submitted_by"
        self.add(path, "guard-not-allowed", (
            f"{self.author} may not change {path}: {why}, and only the programme "
            f"team{self._team()} may change anything else."))

    def check_entry(self, path: str, side: str, renamed_to: str | None,
                    renamed_from: str | None) -> tuple[str, Any] | None:
        where = f"at {self.base}" if side == "base" else "in this pull request"
        try:
            front, meta = self.front_matter(path, side)
        except _Unreadable as error:
            self.unreadable(path, where, error.reason)
            return None
        owner = meta.get("submitted_by")
        if isinstance(owner, str) and handle_key(owner) == handle_key(self.author):
            return front, meta
        line, column = None, None
        if side == "head":
            line, column = _position(front, ("submitted_by",), offset=1)
        named = (f"is submitted by {owner}" if isinstance(owner, str) and owner.strip()
                 else "names no submitted_by")
        if side == "head" and renamed_from:
            self.add(path, "guard-not-allowed", (
                f"{path} (renamed from {renamed_from}) {named}, not {self.author}: an entry "
                "may be renamed only by its entrant or the programme team."), line, column)
        elif side == "head":
            self.add(path, "guard-not-allowed", (
                f"The new entry {path} {named}, not {self.author}: entrants may add only "
                f"entries whose submitted_by is their own GitHub handle, so set "
                f"submitted_by: {self.author}."), line, column)
        else:
            verb = f"rename {path} to {renamed_to}" if renamed_to else f"change or delete {path}"
            self.add(path, "guard-not-allowed", (
                f"{self.author} may not {verb}: at {self.base} it {named}, and only its "
                f"entrant or the programme team{self._team()} may change it."))
        return None

    def check_own_sheet(self, path: str) -> None:
        """A judge's change to their own sheet: only the entries already in it may change."""
        try:
            before = self.at_base(path)
        except _Unreadable as error:
            self.unreadable(path, f"at {self.base}", error.reason)
            return
        try:
            after = self.at_head(path)
            if before is None or after is None:
                raise _Unreadable("it is missing")
            old, new = _yaml(before), _yaml(after)
        except _Unreadable as error:
            self.unreadable(path, "in this pull request", error.reason)
            return
        old = old if isinstance(old, dict) else {}
        new_map = new if isinstance(new, dict) else {}
        for key in sorted(set(old) | set(new_map), key=str):
            if key == "scores" or old.get(key) == new_map.get(key):
                continue
            line, column = _position(after, (key,), at_key=True)
            if key == "judge":
                message = (f"The judge: line changed from {old.get(key)!r} to "
                           f"{new_map.get(key)!r}; it must stay {old.get(key)!r}.")
            else:
                message = (f"The field '{key}' of your score sheet changed; judges may change "
                           "only the scores of the entries assigned to them.")
            self.add(path, "guard-sheet-field", message, line, column)
        old_raw, new_raw = old.get("scores"), new_map.get("scores")
        old_scores: dict[str, Any] = old_raw if isinstance(old_raw, dict) else {}
        new_scores: dict[str, Any] = new_raw if isinstance(new_raw, dict) else {}
        for entry_id in sorted(set(new_scores) - set(old_scores)):
            line, column = _position(after, ("scores", entry_id), at_key=True)
            self.add(path, "guard-sheet-entry", (
                f"'{entry_id}' is not in your score sheet at {self.base}: judges score only "
                "the entries assigned to them, so ask the programme team to assign it."),
                line, column)
        for entry_id in sorted(set(old_scores) - set(new_scores)):
            line, column = _position(after, ("scores",), at_key=True)
            self.add(path, "guard-sheet-entry", (
                f"'{entry_id}' was assigned to you at {self.base} and has been removed; keep "
                "it, and if you are conflicted write 'conflict: your reason' under it."),
                line, column)


def _position(text: str, loc: tuple[str | int, ...], offset: int = 0,
              at_key: bool = False) -> tuple[int | None, int | None]:
    """The 1-based line and column of a key (or its value) in YAML text, if it is there."""
    positions: yamlparse.Positions = {}
    try:
        yamlparse.parse(text, positions)
    except yamlparse.YamlError:
        return None, None
    found = positions.get(loc)
    if found is None:
        return None, None
    line, column = (found[0], found[1]) if at_key else (found[2], found[3])
    return line + offset, column


# GitHub's committer for changes made on its website (the author is the person who made them)
_GITHUB_COMMITTERS = frozenset({"web-flow"})


def other_committers(policy: Policy, author: str, committers: Sequence[str]) -> list[Finding]:
    """One finding for each person among `committers` (the authors and committers of a
    pull request's commits, and who pushed it) who is neither `author` nor a maintainer.

    Guard checks a pull request with its author's rights alone, so a commit by someone
    else could change what only the author may (another judge's scores). Commit names can
    be forged, so they may only refuse a pull request, never grant rights: the files are
    still checked with the author's rights whoever committed them. The maintainers'
    commits are not refused because they could make any change in a pull request of their
    own; refusing them would only stop them fixing a pull request for its author."""
    others: dict[str, str] = {}
    for login in committers:
        key = handle_key(login)
        if key and key != handle_key(author) and key not in _GITHUB_COMMITTERS \
                and not policy.is_maintainer(login):
            others.setdefault(key, login.strip().removeprefix("@"))
    return [finding(".", None, None, "guard-other-committer", (
        f"{login} has committed or pushed to {author.strip()}'s pull request, but qsi guard "
        f"checks a pull request with its author's rights only: ask {login} to open their own "
        f"pull request for their changes, and keep only {author.strip()}'s commits in this "
        "one.")) for login in sorted(others.values(), key=handle_key)]


def run(root: Path, author: str, base: str | None = None,
        committers: Sequence[str] = (), today: dt.date | None = None) -> Checked:
    """Check every file changed between `base` and the working tree against what
    `author` may change, and that nobody else (see `other_committers`) committed to it;
    `today` (default: the real one) is when new entries arrive. Every finding is an
    error (a violation), counted over the changed files. QsiError (exit 2) when it
    cannot run."""
    if not author.strip().removeprefix("@").strip():
        raise QsiError("Give the pull request author's GitHub handle with --author HANDLE.")
    if not root.is_dir():
        raise QsiError(f"The folder {root} does not exist; give the programme folder with "
                       "--programme DIR.")
    changes = gitops.changes(root, base, advice=(  # checks the repository and the base first
        "run qsi guard in a clone of the programme's repository, with the pull request's "
        "branch checked out"))
    base = base or gitops.default_base(root)
    policy = policy_at(root, base)
    others = other_committers(policy, author, committers)
    if policy.is_maintainer(author):
        return Checked(others, len(changes), root)
    guard = _Guard(root, base, author.strip(), policy, today or dt.date.today(), others)
    for change in changes:
        guard.check(change)
    return Checked(sorted(guard.found, key=sort_key), len(changes), root)
