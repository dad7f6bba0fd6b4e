"""Writing files atomically: a temporary file in the same folder, then a rename, so
an interrupted write leaves the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

# Temporary files being written now; the signal handler in entry.py removes them.
in_progress: set[str] = set()


def remove_in_progress() -> None:
    """Delete every temporary file a write has not finished with (on interruption)."""
    for temp in list(in_progress):
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _temporary(path: Path, data: bytes, mode: int) -> str:
    """A fully written, synced temporary file beside `path`; the caller moves it."""
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    in_progress.add(temp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        _discard(temp)
        raise
    return temp


def _discard(temp: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp)
    in_progress.discard(temp)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace (or create) `path` with `data`, keeping its permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    temp = _temporary(path, data, mode)
    try:
        os.replace(temp, path)
    finally:
        _discard(temp)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def create_atomic(path: Path, data: bytes) -> bool:
    """Write a whole new file under a name that must not exist yet; False if it does.
    Never overwrites anything, even when another process takes the name meanwhile."""
    temp = _temporary(path, data, 0o644)
    try:
        try:
            os.link(temp, path)  # atomic, and fails if the name exists
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            try:
                with path.open("xb") as handle:
                    handle.write(data)
            except FileExistsError:
                return False
        return True
    finally:
        _discard(temp)
