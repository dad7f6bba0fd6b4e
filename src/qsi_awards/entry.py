"""The `qsi` executable. Signals are taken over before anything else is imported, so
Ctrl-C or a kill at any moment ends qsi with a short message, never a traceback, and
atomic writes still remove their temporary files (see fileio.py)."""

from __future__ import annotations

import signal
import sys


class Interrupted(SystemExit):
    """Raised from the signal handler; a SystemExit so Python prints no traceback."""


def _stop(signum: int, frame: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Interrupted(128 + signum)


def main() -> None:
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        from .cli import run

        run(sys.argv)
    except Interrupted:
        sys.stderr.write("qsi: interrupted; files are as they were or complete.\n")
        raise
