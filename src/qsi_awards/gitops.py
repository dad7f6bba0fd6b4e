"""Git: which files a change touches, and where the programme sits in its repository.
Real git through subprocess; every failure becomes a QsiError with a plain message."""

from __future__ import annotations

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
