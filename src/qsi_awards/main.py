"""The `qsi` executable. Signals are taken over before anything else is imported, so
Ctrl-C or a kill at any moment ends qsi at once with a short message, never a
traceback. Every write is atomic (fileio.py), so the files are as they were or
complete; the handler only removes the temporary file of a write in progress.

`qsi --help` is answered without typer (usage.py), in a fraction of the time."""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # C: `signal` imports enum, slow enough to be hit
import os
import sys


def _stop(signum: int, frame: object) -> None:
    fileio = sys.modules.get("qsi_awards.fileio")
    if fileio is not None:
        fileio.remove_in_progress()
    os.write(2, b"qsi: interrupted; every file is as it was or complete.\n")
    os._exit(128 + signum)


def main() -> None:
    _signal.signal(_signal.SIGINT, _stop)
    _signal.signal(_signal.SIGTERM, _stop)
    if sys.argv[1:] in (["--help"], ["-h"]) and os.path.basename(sys.argv[0]) == "qsi":
        from .usage import top_help

        sys.stdout.write(top_help())
        return
    from .cli import run

    run(sys.argv)
