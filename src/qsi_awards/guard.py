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
case-insensitively, with or without a leading '@'. A changed file guard cannot read
(a link, over 1 MiB, not UTF-8, broken YAML) is a violation for everyone but
maintainers, because guard cannot tell whose it is.

Codes: guard-not-allowed, guard-sheet-entry, guard-sheet-field, guard-unreadable,
guard-other-committer (see `other_committers`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gitops, yamlparse
from .errors import QsiError
from .findings import Finding, finding, sort_key
from .load import split_front_matter

_ENTRY = re.compile(r"entries/([^/]+)\.md\Z")
_SHEET = re.compile(r"scores/([^/]+)\.yaml\Z")


def handle_key(handle: str) -> str:
    """GitHub handles are case-insensitive; '@name' and 'name' are the same person."""
    return handle.strip().removeprefix("@").casefold()


@dataclass(frozen=True)
class Policy:
    """Who may change what, as the base says."""

    maintainers: tuple[str, ...]  # as written, for messages
    sheets: dict[str, frozenset[str]] = field(default_factory=dict)  # handle key -> judge ids

    def is_maintainer(self, author: str) -> bool:
        return handle_key(author) in {handle_key(m) for m in self.maintainers}

    def judge_ids(self, author: str) -> frozenset[str]:
        return self.sheets.get(handle_key(author), frozenset())


@dataclass(frozen=True)
class Result:
    findings: list[Finding]
    files: int  # changed files checked
    base: str

    @property
    def exit_code(self) -> int:
        return 1 if self.findings else 0


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
    return Policy(maintainers, {k: frozenset(v) for k, v in sheets.items()})


@dataclass
class _Guard:
    root: Path
    base: str
    author: str
    policy: Policy
    found: list[Finding] = field(default_factory=list)

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
        return split[0], _yaml(split[0])

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
            self.check_side(change.old_path, "base", renamed_to=change.path)
            self.check_side(change.path, "head", renamed_from=change.old_path)
        elif change.status == "A":
            self.check_side(change.path, "head")
        elif change.status == "D":
            self.check_side(change.path, "base")
        else:  # M, T (type change), U (unmerged): both sides are the same path
            sheet = _SHEET.match(change.path)
            if sheet and sheet.group(1) in self.policy.judge_ids(self.author):
                self.check_own_sheet(change.path)
            else:
                self.check_side(change.path, "base")

    def check_side(self, path: str, side: str, renamed_to: str | None = None,
                   renamed_from: str | None = None) -> None:
        """An addition (side "head") or deletion or modification (side "base") of a file."""
        sheet = _SHEET.match(path)
        if sheet and sheet.group(1) in self.policy.judge_ids(self.author):
            what = ("renamed" if renamed_to or renamed_from else
                    "added" if side == "head" else "deleted")
            self.add(path, "guard-not-allowed", (
                f"Your score sheet {path} may not be {what}; judges change only the scores "
                f"in it, and the programme team{self._team()} creates and removes sheets."))
            return
        entry = _ENTRY.match(path)
        if entry:
            self.check_entry(path, side, renamed_to, renamed_from)
            return
        self.not_allowed(path)

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
                    renamed_from: str | None) -> None:
        where = f"at {self.base}" if side == "base" else "in this pull request"
        try:
            front, meta = self.front_matter(path, side)
        except _Unreadable as error:
            self.unreadable(path, where, error.reason)
            return
        owner = meta.get("submitted_by") if isinstance(meta, dict) else None
        if isinstance(owner, str) and handle_key(owner) == handle_key(self.author):
            return
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
        committers: Sequence[str] = ()) -> Result:
    """Check every file changed between `base` and the working tree against what
    `author` may change, and that nobody else (see `other_committers`) committed to it.
    QsiError (exit 2) when it cannot run."""
    if not author.strip().removeprefix("@").strip():
        raise QsiError("Give the pull request author's GitHub handle with --author HANDLE.")
    if not root.is_dir():
        raise QsiError(f"The folder {root} does not exist; give the programme folder with "
                       "--programme DIR.")
    changes = gitops.changes(root, base)  # checks the repository and the base first
    base = base or gitops.default_base(root)
    policy = policy_at(root, base)
    others = other_committers(policy, author, committers)
    if policy.is_maintainer(author):
        return Result(others, len(changes), base)
    guard = _Guard(root, base, author.strip(), policy, others)
    for change in changes:
        guard.check(change)
    return Result(sorted(guard.found, key=sort_key), len(changes), base)
