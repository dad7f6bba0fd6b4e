"""Writing files: where a command may write (`output_file`, `output_folder`: the one
rule for every --out), and writing atomically: a temporary file in the same folder, then
a rename, so an interrupted write leaves the old file or the new one, never half of
either."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

from .errors import QsiError

# A programme's inputs (SPEC §1), relative to its folder: no --out may be one of them,
# lie inside one, or hold the programme folder. Names compare case-insensitively, for
# case-insensitive file systems.
INPUT_FILES = ("programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml",
               "adoption.yaml")
INPUT_FOLDERS = ("entries", "scores", "templates", "registers")

FILE = "a file"
FOLDER = "a folder"

# Temporary files being written now, and staging folders (render/output.py); the signal
# handler in main.py removes them.
in_progress: set[str] = set()


def remove_in_progress() -> None:
    """Delete every temporary file a write has not finished with, and every staging
    folder with what it holds (on interruption)."""
    for temp in list(in_progress):
        if os.path.isdir(temp) and not os.path.islink(temp):
            discard_folder(temp)
            continue
        with contextlib.suppress(OSError):
            os.unlink(temp)


def staging_folder(parent: Path, prefix: str) -> str:
    """A new, empty, hidden folder in `parent` for files that are moved into place later
    (`replace_with`); it is removed on interruption, and by `discard_folder`."""
    while True:
        folder = os.path.join(parent, f"{prefix}{secrets.token_hex(6)}")
        in_progress.add(folder)
        try:
            os.mkdir(folder, 0o700)
            return folder
        except FileExistsError:
            in_progress.discard(folder)
        except BaseException:
            in_progress.discard(folder)
            raise


def discard_folder(folder: str) -> None:
    """Remove a staging folder and everything still in it."""
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    in_progress.discard(folder)


def write_staged(path: str, data: bytes) -> None:
    """Write a file in a staging folder; `sync_staged` puts it on the disk before it is
    moved into place."""
    with open(path, "wb") as handle:
        handle.write(data)


def sync_staged(paths: list[str]) -> None:
    """Put staged files on the disk, so that a crash after they are moved into place
    cannot leave one half written: one sync of every file system where there is one
    (10,000 fsyncs, one a file, took longer than rendering the files), else an fsync
    each."""
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in paths:
        with open(path, "rb+") as handle:
            os.fsync(handle.fileno())


def replace_with(path: Path | str, staged: str) -> None:
    """Move a staged file (`write_staged`, then `sync_staged`) over `path` at once,
    keeping its permissions (a new file is readable by all, as `write_bytes_atomic`
    makes it)."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except (FileNotFoundError, NotADirectoryError):
        mode = 0o644
        os.makedirs(os.path.dirname(path), exist_ok=True)
    os.chmod(staged, mode)
    os.replace(staged, path)


def _temporary(path: Path, data: bytes, mode: int) -> str:
    """A fully written, synced temporary file beside `path`; the caller moves it.
    Its name is in `in_progress` before the file exists, so a signal at any moment
    finds it (mkstemp, then registering the name, left a moment between the two)."""
    while True:
        temp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}.tmp")
        in_progress.add(temp)
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            in_progress.discard(temp)
        except BaseException:
            in_progress.discard(temp)
            raise
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


def kind_of(path: Path | str) -> str | None:
    """What is at `path` itself (a link is not followed, nothing is opened): None when
    nothing, else FILE, FOLDER, "a symbolic link", "a named pipe (FIFO)", ..."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise QsiError(f"Cannot look at {path}: {error.strerror}.") from None
    if stat.S_ISREG(mode):
        return FILE
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def read_file(path: Path, limit: int, follow_links: bool = False) -> bytes:
    """The bytes of the ordinary file `path`; ValueError when it is not an ordinary file
    or holds more than `limit` bytes, OSError when it cannot be read or (unless told) is
    a symbolic link. Anything else (a FIFO, a device) is never opened, and the open does
    not block, should one be swapped in meanwhile."""
    if not stat.S_ISREG(os.stat(path, follow_symlinks=follow_links).st_mode):
        raise ValueError("not an ordinary file")
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not an ordinary file")
        if info.st_size > limit:
            raise ValueError(f"larger than {limit} bytes")
        data = handle.read()
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data


def output_file(out: Path, programme: Path) -> None:
    """Refuse (QsiError, exit 2) an --out FILE that is a programme input, a symbolic link,
    a folder or anything else but an ordinary file; a new name is fine. The file is then
    replaced atomically (write_bytes_atomic), so a refused or interrupted write leaves it."""
    found = kind_of(out)
    if found not in (None, FILE):
        raise QsiError(f"--out {out} is {found}: qsi writes only ordinary files and never "
                       "replaces anything else. Give the name of a new or ordinary file, "
                       "for example under out/.")
    _refuse_input(out, programme, "file, for example under out/")


def output_folder(out: Path, programme: Path) -> Path:
    """Check an --out DIR and create it; returns its resolved path. Refuses (QsiError,
    exit 2) anything that is not a folder (a file, a symbolic link, a FIFO, ...), the
    programme folder, a folder that holds it, and anything inside its input folders."""
    found = kind_of(out)
    if found not in (None, FOLDER):
        raise QsiError(f"--out {out} is {found}; give a folder (it is created if needed), "
                       "not a symbolic link to one.")
    _refuse_input(out, programme, "folder, such as out/")
    root = _resolve(out)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise QsiError(f"Cannot create --out {out}: {error.strerror}.") from None
    return root


def check_replaceable(path: Path | str) -> str | None:
    """Refuse (QsiError) to write a file under an output folder where something other
    than an ordinary file is: a symbolic link, a folder, a FIFO, a device, a socket.
    Returns what is there: None (nothing) or FILE."""
    found = kind_of(path)
    if found not in (None, FILE):
        raise QsiError(f"Refusing to write {path}: it is {found}, and qsi replaces only "
                       "ordinary files. Move it away, or choose another --out folder.")
    return found


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:  # a loop of symbolic links
        raise QsiError(f"Cannot follow {path}: {error}.") from None


def _same(a: Path, b: Path) -> bool:
    """The same folder: by identity when both exist (so case and other spellings of a
    name do not matter), else by name, ignoring case."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return str(a).casefold() == str(b).casefold()


def _refuse_input(out: Path, programme: Path, instead: str) -> None:
    """Refuse `out` when, with `..` and symbolic links resolved, it is the programme
    folder, holds it, or is or lies inside one of its inputs."""
    target, root = _resolve(out), _resolve(programme)
    problem = None
    if _same(target, root):
        problem = "is the programme folder itself"
    elif any(_same(target, parent) for parent in root.parents):
        problem = f"holds the programme folder {root}"
    else:
        for parent in target.parents:
            if _same(parent, root):
                inside = target.parts[len(parent.parts):]
                first = inside[0].casefold()
                if len(inside) == 1 and first in INPUT_FILES:
                    problem = f"is {first}, an input file of the programme folder {root}"
                elif first in INPUT_FOLDERS:
                    where = "is" if len(inside) == 1 else "is inside"
                    problem = (f"{where} {first}/, an input folder of the programme folder "
                               f"{root}")
                break
    if problem is not None:
        raise QsiError(f"--out {out} {problem}; qsi never writes over a programme's "
                       f"inputs. Choose a separate {instead}.")
