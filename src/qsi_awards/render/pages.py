"""Shared pieces of the HTML outputs: inline CSS and JavaScript rendered from their own
templates, and a Content-Security-Policy that allows exactly those and nothing else
(no network, no other script), as defence in depth behind the escaping."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from ..errors import ProblemsFound
from .environment import Templates


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def assets(templates: Templates, programme: dict[str, Any], styles: Sequence[str],
           script: str | None = None, library: str = "") -> dict[str, Any]:
    """`css`, `js` (or None) and `csp` for a page. CSS and JS templates see only the
    programme's settings, never entrant text, and may not close their element. A
    `library` (JavaScript that ships with qsi) goes before the script."""
    context = {"programme": programme}
    css = "\n".join(templates.render(name, context).strip() for name in styles) + "\n"
    if "</style" in css.lower():
        raise ProblemsFound(f"Template {', '.join(styles)}: the CSS contains '</style'; "
                            "remove it and run the command again.")
    js = None
    if script is not None:
        js = "\n" + library + templates.render(script, context).strip() + "\n"
        if "</script" in js.lower() or "<!--" in js:
            raise ProblemsFound(f"Template {script}: the JavaScript contains '</script' or "
                                "'<!--'; remove it and run the command again.")
    policy = ("default-src 'none'; "
              f"style-src {_hash(css)}; "
              f"script-src {_hash(js) if js is not None else chr(39) + 'none' + chr(39)}; "
              "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    return {"css": Markup(css), "js": Markup(js) if js is not None else None,  # noqa: S704
            "csp": policy}
