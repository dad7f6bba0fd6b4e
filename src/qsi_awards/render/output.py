"""The output folder: files are written only under --out, atomically, after every
file of the run has been rendered (so a template error writes nothing). Each file is
staged as it is rendered, in a hidden folder of its own under --out
(`.qsi-staging-<random>`, removed at the end, on an interruption, and, if the run was
killed, by the next run to finish), and moved into place once the whole run is
rendered: memory holds one file at a time, never the run.

A manifest, `--out/.qsi-render.json`, records each file qsi wrote there: which kind of
output wrote it and the SHA-256 of its bytes. A run writes a file only where nothing is
yet, or over a file the manifest says this kind wrote and whose bytes are still those
qsi wrote; anything else (another kind's output, such as the site's index.html and the
pack of a judge called `index`; a file qsi did not write; a file changed since) is
refused with exit 2 before anything is written. A re-run removes the files this kind
wrote last time but not this time (a certificate for an award that changed, the page
of an entry whose consent was withdrawn), again only while their bytes are qsi's.

The manifest is read from a folder anyone may have written to, so it is checked
strictly: anything but the form below is refused with a plain message, and names in it
are used only through `Outputs.target`, which keeps every path under --out and away
from symbolic links. Before writing, the manifest already lists every file of the run
(with its old and new hashes), so a re-run after an interruption recognises them.

    {"qsi-render": 2,
     "files": {"index.html": {"kind": "site", "sha256": ["<64 hex digits>"]}, ...}}
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import QsiError
from ..fileio import (
    FILE,
    FOLDER,
    check_replaceable,
    discard_folder,
    kind_of,
    read_file,
    replace_with,
    staging_folder,
    sync_staged,
    write_bytes_atomic,
    write_staged,
)

MANIFEST = ".qsi-render.json"
STAGING = ".qsi-staging-"  # the prefix of a run's staging folder
FORMAT = 2
MANIFEST_LIMIT = 16 * 1024 * 1024
OUTPUT_LIMIT = 1 << 30  # a bigger file in --out is not one qsi wrote
_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\Z")
_SHA256 = re.compile(r"[0-9a-f]{64}\Z")


@dataclass(frozen=True)
class Record:
    """One file in the manifest: the kind that wrote it, the hashes its bytes may have."""

    kind: str
    sha256: frozenset[str]


@dataclass(frozen=True)
class Staged:
    """A file of the run, written to the staging folder: where, and its bytes' SHA-256."""

    path: str
    sha256: str


class Outputs:
    """Stages a run's files as they come, then moves them into place and tidies up after
    earlier runs; `discard` removes whatever is still staged."""

    def __init__(self, root: Path, kind: str) -> None:
        self.root = root
        self.kind = kind
        self.files: dict[str, Staged] = {}
        self.removed: list[str] = []
        self.kept: list[str] = []  # stale files left because they changed since
        self._root = str(root)
        self.manifest = _read_manifest(root)
        self._staging: str | None = None
        self._folders: set[str] = set()  # folders under --out add() has found real

    def add(self, rel: str, data: str | bytes) -> None:
        """Take a file of the run (staged now, under --out but out of the way); refuses
        a bad name or a file it may not replace now, before anything is written."""
        self._check_replaceable(rel, self._folders)  # commit looks at them all again
        raw = data.encode("utf-8") if isinstance(data, str) else data
        staged = self.files.get(rel)
        path = staged.path if staged else os.path.join(self._stage(), str(len(self.files)))
        try:
            write_staged(path, raw)
        except OSError as error:
            raise QsiError(f"Cannot write under {self.root}: {error.strerror}.") from None
        self.files[rel] = Staged(path, hashlib.sha256(raw).hexdigest())

    def read(self, rel: str) -> bytes:
        """The bytes of a file of the run, as it was added."""
        with open(self.files[rel].path, "rb") as handle:
            return handle.read()

    def _stage(self) -> str:
        if self._staging is None:
            try:
                self._staging = staging_folder(self.root, STAGING)
            except OSError as error:
                raise QsiError(f"Cannot write in {self.root}: {error.strerror}.") from None
        return self._staging

    def discard(self) -> None:
        """Remove the staging folder and what is still in it (nothing, after commit)."""
        if self._staging is not None:
            discard_folder(self._staging)
            self._staging = None

    def target(self, rel: str) -> Path:
        """The path for `rel` ('a/b.html'): plain names under --out, where no component
        is a symbolic link and each folder on the way is a real folder."""
        return Path(self._target(rel)[0])

    def _target(self, rel: str, folders: set[str] | None = None) -> tuple[str, str | None]:
        """target(rel), and what is there now (kind_of). `folders`: the folders (by their
        names under --out) found real earlier in this pass, not looked at again; those
        found now are added."""
        parts = rel.split("/")
        if any(not _PART.match(p) or ".." in p for p in parts):
            raise QsiError(f"Refusing to write '{rel}': not a plain file name under --out.")
        target = os.path.join(self._root, *parts)
        for depth in range(1, len(parts)):
            name = "/".join(parts[:depth])
            if folders is not None and name in folders:
                continue
            folder = os.path.join(self._root, *parts[:depth])
            found = kind_of(folder)
            if found is None:
                return target, None
            if found != FOLDER:
                raise QsiError(f"Refusing to write {target}: {folder} is {found}, not a "
                               "folder; qsi writes only into real folders under --out. "
                               "Move it away, or choose another --out folder.")
            if folders is not None:
                folders.add(name)
        return target, check_replaceable(target)

    def _check_replaceable(self, rel: str, folders: set[str] | None = None) -> None:
        path, found = self._target(rel, folders)
        if found is None:
            return
        record = self.manifest.get(rel)
        if record is None:
            raise QsiError(f"Refusing to replace {path}: qsi did not write it (it is not in "
                           f"{MANIFEST}). Move it away, or choose another --out folder.")
        if record.kind != self.kind:
            raise QsiError(f"Refusing to replace {path}: 'qsi render {record.kind}' wrote it, "
                           f"and 'qsi render {self.kind}' would overwrite it. Render "
                           f"{self.kind} into a separate --out folder.")
        if _sha256_of(Path(path)) not in record.sha256:
            raise QsiError(f"Refusing to replace {path}: it has changed since 'qsi render "
                           f"{self.kind}' wrote it. Move your copy away, then render again.")

    def commit(self) -> list[str]:
        """Move every file into place, remove this kind's stale files, update the
        manifest."""
        folders: set[str] = set()
        for rel in self.files:  # again, now that rendering is done and before any write
            self._target(rel, folders)
        made = {rel: staged.sha256 for rel, staged in self.files.items()}
        ours = {rel: record for rel, record in self.manifest.items() if record.kind == self.kind}
        others = {rel: record for rel, record in self.manifest.items() if rel not in ours}
        # First record every file this run may leave, with its old and new bytes' hashes,
        # so that after an interruption at any point a re-run knows them all as its own.
        pending = dict(self.manifest)
        for rel, digest in made.items():
            old = ours[rel].sha256 if rel in ours else frozenset()
            pending[rel] = Record(self.kind, old | {digest})
        self._write_manifest(pending)
        sync_staged([staged.path for staged in self.files.values()])
        for rel in sorted(self.files):
            path = self._target(rel)[0]  # and again, each just before it is written
            try:
                replace_with(path, self.files[rel].path)
            except OSError as error:
                raise QsiError(f"Cannot write {path}: {error.strerror}.") from None
        self.discard()
        self._discard_leftovers()
        names = {rel.casefold() for rel in made}
        for rel in sorted(set(ours) - set(made)):
            if rel.casefold() in names:  # the same file on a case-insensitive file system
                continue
            if self._remove(rel, ours[rel]):
                self.removed.append(rel)
        final = {**others, **{rel: Record(self.kind, frozenset({digest}))
                              for rel, digest in made.items()}}
        self._write_manifest(final)
        return sorted(self.files)

    def _discard_leftovers(self) -> None:
        """Remove the staging folders of runs that were killed before they could."""
        with os.scandir(self.root) as listing:
            left = [item.path for item in listing if item.name.startswith(STAGING)
                    and item.is_dir(follow_symlinks=False)]
        for folder in left:
            discard_folder(folder)

    def _remove(self, rel: str, record: Record) -> bool:
        """Remove a stale file of this kind while its bytes are still the ones qsi wrote;
        one changed since is left (and reported in `kept`); one gone, or no longer an
        ordinary file in a real folder, is just forgotten."""
        try:
            path = self.target(rel)
        except QsiError:
            return False
        if kind_of(path) is None:
            return False
        if _sha256_of(path) not in record.sha256:
            self.kept.append(rel)
            return False
        try:
            path.unlink()
        except OSError:
            self.kept.append(rel)
            return False
        parent = path.parent
        while parent != self.root and parent.is_relative_to(self.root):
            try:
                parent.rmdir()  # only if empty
            except OSError:
                break
            parent = parent.parent
        return True

    def _write_manifest(self, files: dict[str, Record]) -> None:
        path = self.root / MANIFEST
        try:
            write_bytes_atomic(path, manifest_text(files).encode("utf-8"))
        except OSError as error:
            raise QsiError(f"Cannot write {path}: {error.strerror}.") from None


def manifest_text(files: dict[str, Record]) -> str:
    """The manifest of `files`: `json.dumps(..., indent=1)` of the form in the module's
    docstring, plus a line break, written out here (json's indented writer is pure
    Python, and slow for the 10,000 files of a national programme's site)."""
    if not files:
        return f'{{\n "qsi-render": {FORMAT},\n "files": {{}}\n}}\n'
    records = ",\n".join(
        f'  {json.dumps(rel)}: {{\n   "kind": {json.dumps(record.kind)},\n   "sha256": [\n'
        + ",\n".join(f'    "{digest}"' for digest in sorted(record.sha256)) + "\n   ]\n  }"
        for rel, record in sorted(files.items()))
    return f'{{\n "qsi-render": {FORMAT},\n "files": {{\n{records}\n }}\n}}\n'


def _sha256_of(path: Path) -> str | None:
    """The SHA-256 of an ordinary file's bytes; None when it cannot be read as one."""
    try:
        return hashlib.sha256(read_file(path, OUTPUT_LIMIT)).hexdigest()
    except (OSError, ValueError):
        return None


def _read_manifest(root: Path) -> dict[str, Record]:
    """The manifest in `root` ({} when there is none); a QsiError, saying what to do,
    when there is something else under its name."""
    path = root / MANIFEST
    found = kind_of(path)
    if found is None:
        return {}
    problem = None
    if found != FILE:
        problem = f"it is {found}"
    else:
        try:
            data = json.loads(read_file(path, MANIFEST_LIMIT))
        except RecursionError:
            problem = "it is nested too deeply"
        except ValueError as error:  # too large, not UTF-8, not JSON
            problem = f"it is not valid ({error})"
        except OSError as error:
            problem = f"it cannot be read ({error.strerror})"
        else:
            problem, files = _manifest_files(data)
            if problem is None:
                return files
    raise QsiError(f"{path} is not a list of the files qsi wrote in {root} ({problem}), so "
                   "qsi cannot tell which files there are its own. Delete it and the files "
                   "qsi wrote there (or choose an empty --out folder), then render again.")


def _manifest_files(data: object) -> tuple[str | None, dict[str, Record]]:
    """The records of a manifest's JSON value, or what is wrong with it."""
    if not isinstance(data, dict):
        return "it is not a JSON object", {}
    if data.get("qsi-render") != FORMAT or set(data) != {"qsi-render", "files"}:
        if all(isinstance(v, list) for v in data.values()):
            return "an earlier version of qsi wrote it", {}
        return "it is not in the form qsi writes", {}
    files = data["files"]
    if not isinstance(files, dict):
        return "its files are not a JSON object", {}
    records = {}
    for rel, record in files.items():
        if (not all(_PART.match(p) and ".." not in p for p in rel.split("/"))
                or not isinstance(record, dict) or set(record) != {"kind", "sha256"}
                or not isinstance(record["kind"], str) or not _PART.match(record["kind"])
                or not isinstance(record["sha256"], list) or not record["sha256"]
                or not all(isinstance(h, str) and _SHA256.match(h)
                           for h in record["sha256"])):
            return f"its record of '{rel[:80]}' is not in the form qsi writes", {}
        records[rel] = Record(record["kind"], frozenset(record["sha256"]))
    return None, records
