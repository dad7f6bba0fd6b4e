"""The `qsi` executable. Signals are taken over before anything else is imported, so
Ctrl-C or a kill at any moment ends qsi at once with a short message, never a
traceback. Every write is atomic (fileio.py), so the files are as they were or
complete; the handler only removes the temporary file of a write in progress.

`qsi --help` is answered without typer (usage.py), in a fraction of the time."""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # C: `signal` imports enum, slow enough to be hit
import gc
import os
import sys

# Start-up (typer, pydantic, the models' validators) makes some 60,000 objects that last
# the whole run. At Python's default, a collection every 700 new objects, the cyclic
# collector would walk them some 90 times for nothing: 6% of `qsi validate` on a small
# programme. Every 100,000 it never runs during start-up; it walks as many objects in
# all on a large programme, in fewer, larger collections.
GC_THRESHOLD = 100_000

# pydantic runs any "plugin" an installed package declares on every validation, where it
# would see every entry, score and e-mail address qsi reads. Judging is confidential, so
# the executable runs none, whatever else is installed: pydantic is told so, and its
# plugin loader is one that has none (`_no_plugin_loader`).
NO_PYDANTIC_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
PLUGIN_LOADER = "pydantic.plugin._loader"


def _no_plugin_loader() -> None:
    """Put in place of pydantic's plugin loader one that finds no plugin. pydantic asks
    its loader for the plugins as it makes each model; the real loader imports
    importlib.metadata to look for them among the installed packages, 5% of `qsi
    validate` on the example programme, for plugins qsi would not run. pydantic 2.8 to
    2.14 ask the loader only for `get_plugins`; should a later one ask for anything else,
    the real loader answers (and, told by the variable above, still runs no plugin)."""
    loader = type(sys)(PLUGIN_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> object:
        if name.startswith("__"):  # what the import system asks of every module
            raise AttributeError(name)
        if sys.modules.get(PLUGIN_LOADER) is loader:
            del sys.modules[PLUGIN_LOADER]
        import importlib

        return getattr(importlib.import_module(PLUGIN_LOADER), name)

    loader.get_plugins = get_plugins  # type: ignore[attr-defined]
    loader.__getattr__ = real  # type: ignore[method-assign]
    sys.modules.setdefault(PLUGIN_LOADER, loader)


def _stop(signum: int, frame: object) -> None:
    fileio = sys.modules.get("qsi_awards.fileio")
    if fileio is not None:
        fileio.remove_in_progress()
    os.write(2, b"qsi: interrupted; every file is as it was or complete.\n")
    os._exit(128 + signum)


def main() -> None:
    _signal.signal(_signal.SIGINT, _stop)
    _signal.signal(_signal.SIGTERM, _stop)
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    if sys.argv[1:] in (["--help"], ["-h"]) and os.path.basename(sys.argv[0]) == "qsi":
        from .usage import top_help

        try:
            sys.stdout.write(top_help())
            sys.stdout.flush()
        except BrokenPipeError:  # read by nobody: stop quietly with 1, as typer does
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        return
    os.environ[NO_PYDANTIC_PLUGINS[0]] = NO_PYDANTIC_PLUGINS[1]
    _no_plugin_loader()
    from .cli import run

    run(sys.argv)
