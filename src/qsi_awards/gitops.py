"""Git: which files a change touches, and where the programme sits in its repository.
Real git through subprocess; every failure becomes a QsiError with a plain message."""

from __future__ import annotations

import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import QsiError


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


def _in_repo(root: Path) -> None:
    if subprocess.run(["git", "rev-parse", "--git-dir"], cwd=root, capture_output=True,
                      check=False).returncode != 0:
        raise QsiError(f"{root} is not inside a git repository, so there are no changes to "
                       "compare; drop --changed or run 'git init'.")


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D or R
    path: str  # programme-relative, '/'-separated; for a rename, the new path
    old_path: str | None = None  # for a rename, the old path


def changes(root: Path, base: str | None) -> list[Change]:
    """The files changed between base and the working tree (committed or not, and
    untracked files), relative to the programme folder."""
    _in_repo(root)
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
