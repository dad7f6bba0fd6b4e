"""Git: which files a change touches, where the programme sits in its repository, and
when each entry first reached the checked-out branch.
Real git through subprocess; every failure becomes a QsiError with a plain message."""

from __future__ import annotations

import datetime as dt
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import QsiError
from .fileio import INPUT_FILES


def git(root: Path, *args: str, check: bool = True) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              check=False, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        raise QsiError("git is not installed; install git to use this option.") from None
    if check and done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"
        raise QsiError(f"git {' '.join(args)} failed: {message}")
    return done.stdout


def repo_prefix(root: Path) -> str:
    """The programme folder's path inside its git repository ('' at the top, or when
    the folder is not in a repository), ending with '/' when not empty."""
    try:
        done = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root,
                              capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def default_base(root: Path) -> str:
    for ref in ("origin/main", "HEAD"):
        if subprocess.run(["git", "rev-parse", "--verify", "--quiet", ref + "^{commit}"],
                          cwd=root, capture_output=True, check=False).returncode == 0:
            return ref
    raise QsiError("There is no origin/main and no commit yet to compare with; give one "
                   "with --base REF.")


# What `changes` tells someone whose folder is not in a git repository: validate's advice.
CHANGED_ADVICE = "drop --changed or run 'git init'"


def _in_repo(root: Path, advice: str) -> None:
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=root, capture_output=True,
                      check=False).returncode != 0:
        raise QsiError(f"{root} is not inside a git repository, so there are no changes to "
                       f"compare; {advice}.")


@dataclass(frozen=True)
class Change:
    """A file a commit range added, changed, deleted or renamed."""

    status: str  # A, M, D or R
    path: str  # programme-relative, '/'-separated; for a rename, the new path
    old_path: str | None = None  # for a rename, the old path


def changes(root: Path, base: str | None, advice: str = CHANGED_ADVICE) -> list[Change]:
    """The files changed between base and the working tree (committed or not, and
    untracked files), relative to the programme folder. `advice` ends the message when
    the folder is not in a git repository: what the person running the command can do."""
    _in_repo(root, advice)
    base = base or default_base(root)
    if subprocess.run(["git", "rev-parse", "--verify", "--quiet", base + "^{commit}"],
                      cwd=root, capture_output=True, check=False).returncode != 0:
        raise QsiError(f"The git reference '{base}' does not exist; give a branch, tag or "
                       "commit with --base.")
    raw = git(root, "diff", "--name-status", "-z", "-M", "--relative", base, "--", ".")
    parts = raw.split("\0")
    found: list[Change] = []
    index = 0
    while index < len(parts) - 1:
        status = parts[index]
        if status.startswith(("R", "C")):
            old, new = parts[index + 1], parts[index + 2]
            found.append(Change("R" if status[0] == "R" else "A", new, old if
                                status[0] == "R" else None))
            index += 3
        else:
            found.append(Change(status[:1], parts[index + 1]))
            index += 2
    for path in git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", ".").split(
            "\0"):
        if path:
            found.append(Change("A", path))
    return found


def changed_paths(root: Path, base: str | None) -> set[str]:
    paths: set[str] = set()
    for change in changes(root, base):
        paths.add(change.path)
        if change.old_path:
            paths.add(change.old_path)
    return paths


MAX_BYTES = 1024 * 1024


class UnreadableFile(Exception):
    """A file qsi will not read: a link, a folder, too large, or not UTF-8 text."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise UnreadableFile("it is over 1 MiB")
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("it is not UTF-8 text") from None
    return text.replace("\r\n", "\n")


def show(root: Path, ref: str, path: str) -> str | None:
    """The text of a programme-relative file as it is at `ref`, or None if it does not
    exist there. Raises UnreadableFile for a link, a folder, a file over 1 MiB or text
    that is not UTF-8: like load, git never makes qsi follow a link."""
    listing = git(root, "--literal-pathspecs", "ls-tree", "-l", "-z", ref, "--", path)
    for record in listing.split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        if name != path:
            continue
        mode, kind, oid, size = meta.split()
        if mode == "120000":
            raise UnreadableFile("it is a symbolic link")
        if mode == "160000":
            raise UnreadableFile("it is a git submodule (a link to another repository)")
        if kind != "blob":
            raise UnreadableFile("it is a folder, not a file")
        if int(size) > MAX_BYTES:
            raise UnreadableFile("it is over 1 MiB")
        try:
            done = subprocess.run(["git", "cat-file", "blob", oid], cwd=root,
                                  capture_output=True, check=False)
        except FileNotFoundError:
            raise QsiError("git is not installed; install git to use this command.") from None
        if done.returncode != 0:
            raise QsiError(f"git cannot read {path} at {ref}.")
        return _decode(done.stdout)
    return None


def read_worktree(root: Path, path: str) -> str | None:
    """The text of a programme-relative file in the working tree (None if it is gone),
    with the same refusals as `show`."""
    full = root / path
    try:
        info = full.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise UnreadableFile("it is a symbolic link")
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("it is a folder or a git submodule, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("it is not a regular file")
    if info.st_size > MAX_BYTES:
        raise UnreadableFile("it is over 1 MiB")
    try:
        with full.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UnreadableFile(f"it cannot be read ({error.strerror})") from None
    return _decode(raw)


def files_at(root: Path, ref: str, folder: str) -> list[str]:
    """The programme-relative paths of the files directly in `folder` at `ref`."""
    listing = git(root, "--literal-pathspecs", "ls-tree", "-z", "--name-only", ref, "--",
                  folder + "/")
    return [path for path in listing.split("\0") if path]


# An entry's arrival: the date it reached the branch, or None when a shallow clone hides it.
Arrivals = dict[str, dt.date | None]


def arrivals(root: Path, folder: str = "entries") -> Arrivals | None:
    """When each file under `folder` first reached the checked-out branch: the date of the
    commit on HEAD's first-parent history (the branch itself, with the merge commits that
    brought pull requests in) that added it, following renames. A file that is not there
    has not reached the branch. One `git log` for the whole folder.

    None when the programme is not kept in git: not in a repository, no commits, or its
    programme.yaml not committed (a folder that merely sits inside someone's repository).
    In a shallow clone, files added in the oldest fetched commit are None: their history
    is not there."""
    return arrivals_read(arrivals_started(root, folder))


def arrivals_started(root: Path, folder: str = "entries") -> subprocess.Popen[str] | None:
    """The `git log` that `arrivals` reads, set going: it runs beside whatever qsi does
    until `arrivals_read` takes its output (None when git is not installed)."""
    try:  # refs left out of the decorations, so that only git's own "grafted" shows
        return subprocess.Popen(
            ["git", "log", "--first-parent", "--diff-merges=first-parent", "--reverse", "-M",
             "--diff-filter=ADR", "--name-status", "-z", "--relative", "--no-color",
             "--no-show-signature", "--decorate-refs-exclude=*",
             "--decorate-refs-exclude=refs/*", "--format=%x01%cs %D", "--", folder,
             "programme.yaml"],
            cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None


def arrivals_stopped(process: subprocess.Popen[str] | None) -> None:
    """A started `git log` whose output is no longer wanted, ended."""
    if process is not None and process.returncode is None:
        process.kill()
        process.communicate()


def arrivals_read(process: subprocess.Popen[str] | None) -> Arrivals | None:
    """`arrivals`, from the output of the `git log` that `arrivals_started` set going."""
    if process is None:
        return None
    stdout, _ = process.communicate()
    if process.returncode != 0:  # not a repository, or no commit yet
        return None
    found: Arrivals = {}
    kept = False  # whether programme.yaml is committed at HEAD
    for commit in stdout.split("\x01")[1:]:
        header, *fields = commit.split("\0")
        day, _, decorations = header.partition(" ")
        # a shallow clone's oldest commit: its parents (and so its real additions) are missing
        grafted = "grafted" in decorations.split(", ")
        when = None if grafted else dt.date.fromisoformat(day)
        index = 0
        while index < len(fields):
            status = fields[index].lstrip("\n")[:1]
            if status == "R" and index + 2 < len(fields):
                old, new = fields[index + 1], fields[index + 2]
                found.setdefault(new, found.get(old, when))
                kept = (kept or new == "programme.yaml") and old != "programme.yaml"
                index += 3
                continue
            if status in ("A", "D") and index + 1 < len(fields):
                path = fields[index + 1]
                if path == "programme.yaml":
                    kept = status == "A"
                elif status == "A":
                    found.setdefault(path, when)
            index += 2
    return found if kept else None


# What is read of a programme at a revision: its input files (fileio.py), entries, score
# sheets and rounds; nothing else is needed to load it (the qsi repository's own src/ and
# tests/ are not).
_PROGRAMME_PARTS = (*INPUT_FILES, "entries", "scores", "rounds")


def export_programme(root: Path, revision: str, folder: str, dest: Path) -> None:
    """Write the programme folder `folder` (relative to `root`, '/'-separated) as it is
    at the git `revision` of root's repository into the empty folder `dest`, by `git
    archive`: ordinary files and folders only (a link is left out, as load would refuse
    it). QsiError (exit 2) when root is not in a repository, the revision does not exist,
    the folder leaves the repository or is not a folder at that revision."""
    import io
    import posixpath
    import tarfile

    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=root, capture_output=True,
                      check=False).returncode != 0:
        raise QsiError(f"'{revision}' is not a folder, and {root} is not inside a git "
                       "repository to read it from as a revision; give a programme folder.")
    # a revision that starts with '-' would reach git as an option
    if revision.startswith("-") or subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", "--end-of-options",
             revision + "^{commit}"], cwd=root, capture_output=True, check=False
    ).returncode != 0:
        raise QsiError(f"'{revision}' is neither a folder nor a git revision (a branch, tag "
                       "or commit, such as HEAD~3 or v2020) of the repository here.")
    inside = posixpath.normpath(repo_prefix(root) + folder)
    if inside.startswith("../") or inside == ".." or inside.startswith("/"):
        raise QsiError(f"The folder '{folder}' is outside the git repository; give a folder "
                       "inside it.")
    tree = f"{revision}:{'' if inside == '.' else inside}"
    if git(root, "cat-file", "-t", tree, check=False).strip() != "tree":
        raise QsiError(f"At {revision} there is no folder '{folder}' in the repository; give "
                       f"the programme's folder as {revision}:FOLDER.")
    # from the top of the repository: in a subfolder, ls-tree and archive keep to it
    top = Path(git(root, "rev-parse", "--show-toplevel").strip())
    names = git(top, "ls-tree", "-z", "--name-only", tree).split("\0")
    parts = [name for name in names if name in _PROGRAMME_PARTS]
    if not parts:
        return
    try:
        done = subprocess.run(["git", "archive", "--format=tar", tree, "--", *parts], cwd=top,
                              capture_output=True, check=False)
    except FileNotFoundError:
        raise QsiError("git is not installed; install git to compare git revisions.") from None
    if done.returncode != 0:
        raise QsiError(f"git cannot read the folder '{folder}' at {revision}.")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        for member in archive:
            name = posixpath.normpath(member.name)
            if name.startswith(("/", "..")) or not (member.isfile() or member.isdir()):
                continue
            target = dest / name
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            if source is not None:
                target.write_bytes(source.read())
