"""The output folder: files are written only under --out, atomically, after every
file of the run has been rendered (so a template error writes nothing).

A small manifest, `--out/.qsi-render.json`, remembers which files each kind of output
wrote. A re-run replaces its own files and removes those it wrote last time but not
this time (a certificate for an award that changed, the page of an entry whose consent
was withdrawn), and never touches anything else in the folder.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

from ..errors import QsiError
from ..fileio import write_bytes_atomic, write_text_atomic

MANIFEST = ".qsi-render.json"
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")
INPUT_FOLDERS = ("entries", "scores", "templates", "schemas")


def prepare(out: Path, programme_root: Path) -> Path:
    """Check --out and create it; returns its resolved path. Exit 2 when it is a file,
    the programme folder itself or one of its input folders, or cannot be created."""
    if out.exists() and not out.is_dir():
        raise QsiError(f"--out {out} is a file; give a folder (it is created if needed).")
    root = out.resolve()
    programme = programme_root.resolve()
    if root == programme or any(root == programme / sub or root.is_relative_to(programme / sub)
                                for sub in INPUT_FOLDERS):
        raise QsiError(f"--out {out} is the programme folder or one of its input folders; "
                       "choose a separate folder, such as out/.")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QsiError(f"Cannot create --out {out}: {error.strerror}.") from None
    return root


class Outputs:
    """Collects a run's files, then writes them and tidies up after earlier runs."""

    def __init__(self, root: Path, kind: str) -> None:
        self.root = root
        self.kind = kind
        self.files: dict[str, bytes] = {}
        self.removed: list[str] = []

    def add(self, rel: str, data: str | bytes) -> None:
        self.target(rel)  # refuse a bad name before anything is written
        self.files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    def target(self, rel: str) -> Path:
        """The path for `rel` ('a/b.html'), which must resolve inside --out."""
        parts = rel.split("/")
        if not parts or any(not _PART.match(p) or ".." in p for p in parts):
            raise QsiError(f"Refusing to write '{rel}': not a plain file name under --out.")
        path = self.root.joinpath(*parts)
        if not path.resolve().is_relative_to(self.root):
            raise QsiError(f"Refusing to write {path}: it resolves outside --out "
                           f"{self.root} (a symbolic link?).")
        return path

    def commit(self) -> list[str]:
        """Write every file, remove this kind's stale files, update the manifest."""
        manifest = _read_manifest(self.root)
        for rel in sorted(self.files):
            path = self.target(rel)
            try:
                write_bytes_atomic(path, self.files[rel])
            except OSError as error:
                raise QsiError(f"Cannot write {path}: {error.strerror}.") from None
        claimed = {f for kind, files in manifest.items() if kind != self.kind for f in files}
        for rel in sorted(set(manifest.get(self.kind, [])) - set(self.files) - claimed):
            if self._remove(rel):
                self.removed.append(rel)
        manifest[self.kind] = sorted(self.files)
        try:
            write_text_atomic(self.root / MANIFEST,
                              json.dumps(manifest, indent=1, sort_keys=True) + "\n")
        except OSError as error:
            raise QsiError(f"Cannot write {self.root / MANIFEST}: {error.strerror}.") from None
        return sorted(self.files)

    def _remove(self, rel: str) -> bool:
        try:
            path = self.target(rel)
        except QsiError:
            return False
        try:
            info = os.lstat(path)
            if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
                return False
            path.unlink()
        except OSError:
            return False
        parent = path.parent
        while parent != self.root and parent.is_relative_to(self.root):
            try:
                parent.rmdir()  # only if empty
            except OSError:
                break
            parent = parent.parent
        return True


def _read_manifest(root: Path) -> dict[str, list[str]]:
    path = root / MANIFEST
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 4 * 1024 * 1024:
            return {}
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(kind): [f for f in files if isinstance(f, str)]
            for kind, files in data.items() if isinstance(files, list)}
