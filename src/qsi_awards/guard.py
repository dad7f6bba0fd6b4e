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

Guard reads what it needs of each file field by field (load/facts.py), so a problem
elsewhere in a file, which `qsi validate` reports, takes no rights away: a maintainer
or a judge whose handle is text counts in a programme.yaml or judges.yaml with other
problems. Only YAML that cannot be read at all does: then judges.yaml gives judges no
rights, decisions.yaml no exceptions, and programme.yaml stops guard (exit 2).

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

from . import gitops
from .dates import long_date
from .errors import QsiError
from .findings import Checked, Finding, finding, sort_key
from .load import facts
from .load.facts import EntryFront, Unreadable

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


def policy_at(root: Path, base: str) -> Policy:
    """The maintainers and judges' handles at the base. A base without a readable
    programme.yaml cannot be guarded (exit 2); broken judges.yaml gives judges no rights."""
    try:
        text = gitops.show(root, base, "programme.yaml")
        if text is None:
            raise QsiError(f"There is no programme.yaml at {base}, so guard cannot tell who "
                           "may change what; give the base the pull request started from "
                           "with --base REF.")
        settings = facts.programme(text)
    except (gitops.UnreadableFile, Unreadable) as error:
        raise QsiError(f"programme.yaml at {base} cannot be read ({error}), so guard cannot "
                       "tell who may change what; fix it on the base branch first.") from None
    sheets: dict[str, set[str]] = {}
    try:
        judges_text = gitops.show(root, base, "judges.yaml")
        judges = facts.judge_handles(judges_text) if judges_text is not None else []
    except (gitops.UnreadableFile, Unreadable):
        judges = []
    for judge in judges:
        sheets.setdefault(handle_key(judge.github), set()).add(judge.id)
    deadline = next((milestone.date for milestone in settings.timeline
                     if milestone.kind == "submission_deadline"), None)
    return Policy(tuple(settings.maintainers), {k: frozenset(v) for k, v in sheets.items()},
                  deadline, _exceptions_at(root, base))


def _exceptions_at(root: Path, base: str) -> dict[str, dt.date | None]:
    """The extensions and accepted late entries of decisions.yaml at the base. A record
    guard cannot make sense of grants nothing; `qsi validate` reports it."""
    try:
        text = gitops.show(root, base, "decisions.yaml")
        grants = facts.deadline_grants(text) if text is not None else []
    except (gitops.UnreadableFile, Unreadable):
        return {}
    found: dict[str, dt.date | None] = {}
    for grant in grants:
        if grant.accepted_late:
            until = None
        elif grant.extended_to is not None:
            until = grant.extended_to
        else:
            continue
        for entry_id in grant.entries:
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
            raise Unreadable(error.reason) from None

    def at_head(self, path: str) -> str | None:
        try:
            return gitops.read_worktree(self.root, path)
        except gitops.UnreadableFile as error:
            raise Unreadable(error.reason) from None

    def front_matter(self, path: str, side: str) -> EntryFront:
        """An entry's front matter, on one side of the change."""
        text = self.at_base(path) if side == "base" else self.at_head(path)
        if text is None:  # listed as changed but gone: nothing to tell whose it is
            raise Unreadable("it is missing")
        return facts.entry_front(text)

    def assigned(self) -> frozenset[str]:
        """The entries in any judge's score sheet at the base (read once, when needed)."""
        if self._assigned is None:
            found: set[str] = set()
            for path in gitops.files_at(self.root, self.base, "scores"):
                try:
                    text = self.at_base(path) if _SHEET.match(path) else None
                    if text is not None:
                        found |= facts.sheet_entries(text)
                except Unreadable:
                    continue
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
                except Unreadable as error:
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

    def check_move(self, old_path: str, path: str, before: EntryFront | None,
                   after: EntryFront | None) -> None:
        """An entrant may not move an entry that judges already have to another category."""
        if before is None or after is None:
            return
        old, new = before.owner.category, after.owner.category
        if old == new or _entry_id(old_path) not in self.assigned():
            return
        line, column = after.where("category")
        moved = f"to {new!r}" if new is not None else "out of it"
        self.add(path, "guard-category-move", (
            f"{path} moves from the category {old!r} {moved}, but judges already have it "
            f"to score in {old!r}, and they were chosen for that category; only the "
            f"programme team{self._team()} can move it now, so ask them."), line, column)

    def check_side(self, path: str, side: str, renamed_to: str | None = None,
                   renamed_from: str | None = None) -> EntryFront | None:
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
                    renamed_from: str | None) -> EntryFront | None:
        where = f"at {self.base}" if side == "base" else "in this pull request"
        try:
            front = self.front_matter(path, side)
        except Unreadable as error:
            self.unreadable(path, where, error.reason)
            return None
        owner = front.owner.submitted_by
        if owner is not None and handle_key(owner) == handle_key(self.author):
            return front
        line, column = front.where("submitted_by") if side == "head" else (None, None)
        named = (f"is submitted by {owner}" if owner is not None and owner.strip()
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
        except Unreadable as error:
            self.unreadable(path, f"at {self.base}", error.reason)
            return
        try:
            after = self.at_head(path)
            if before is None or after is None:
                raise Unreadable("it is missing")
            edit = facts.sheet_edit(before, after)
        except Unreadable as error:
            self.unreadable(path, "in this pull request", error.reason)
            return
        for change in edit.fields:
            line, column = edit.where(change.name)
            if change.name == "judge":
                message = (f"The judge: line changed from {change.before!r} to "
                           f"{change.after!r}; it must stay {change.before!r}.")
            else:
                message = (f"The field '{change.name}' of your score sheet changed; judges may "
                           "change only the scores of the entries assigned to them.")
            self.add(path, "guard-sheet-field", message, line, column)
        for entry_id in edit.added:
            line, column = edit.where("scores", entry_id)
            self.add(path, "guard-sheet-entry", (
                f"'{entry_id}' is not in your score sheet at {self.base}: judges score only "
                "the entries assigned to them, so ask the programme team to assign it."),
                line, column)
        for entry_id in edit.removed:
            line, column = edit.where("scores")
            self.add(path, "guard-sheet-entry", (
                f"'{entry_id}' was assigned to you at {self.base} and has been removed; keep "
                "it, and if you are conflicted write 'conflict: your reason' under it."),
                line, column)


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
