"""One exception root. Commands raise these; the CLI edge prints the message once,
in plain words, and exits with the code. Nothing else prints errors."""

from __future__ import annotations


class QsiError(Exception):
    """The command could not run (exit 2 unless told otherwise)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class ProblemsFound(QsiError):
    """The programme has problems (findings, a refused tally, a template error): exit 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=1)
