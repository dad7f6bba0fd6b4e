"""entry-form.html: a form entrants fill in with nothing but a browser, made from the
programme (its categories, the entry rules and the form's wording in programme.yaml),
so it never falls out of step with the rules. It works from file:// with no network
and no server; its "Save entry file" downloads entries/<slug>.md as `qsi new entry`
writes it, filled in, and it opens such a file again to go on editing.

The page is one file: the template entry-form.html, its CSS and script (entry-form.js)
inline and pinned by the Content-Security-Policy, and markdown-it, the JavaScript
original of the Markdown parser `qsi validate` counts words with (markdown-it-py is its
port), so the form counts a section's words as validate does. The form's data (the
categories, sections, limits and wording) is JSON in a `<script type="application/json">`
block, escaped so that no text in it can end the block.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..controls import json_escaped
from . import context
from .pages import assets

if TYPE_CHECKING:
    from . import Job

OUTPUT = "entry-form.html"
# markdown-it 14.1.0 (dist/markdown-it.min.js from npm, unchanged; licences beside it),
# the version markdown-it-py 4 is ported from
MARKDOWN_IT = Path(__file__).resolve().parent / "vendor" / "markdown-it.min.js"
# The library's one '<!--' is in a regular expression for HTML comments; '\x3C' is the
# same '<' to the regular expression, and cannot open a comment inside <script>.
_COMMENT_PATTERN = ("/^<!--/", "/^\\x3C!--/")


def markdown_it() -> str:
    """The library, ready to go inline before the form's own script."""
    source = MARKDOWN_IT.read_text("utf-8")
    old, new = _COMMENT_PATTERN
    return source.replace(old, new, 1) + "\n"


def script_json(data: Any) -> Markup:
    """JSON for a `<script type="application/json">` block: `<`, `>` and `&` as escapes,
    so nothing in it (a `</script>` in a category title, `<!--`) is markup, and control
    characters as escapes too."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(json_escaped(text))  # noqa: S704


def render(job: Job) -> None:
    programme = context.programme_view(job.programme)
    form = context.entry_form(job.programme)
    page = assets(job.templates, programme, ["style.css", "entry-form.css"], "entry-form.js",
                  library=markdown_it())
    job.outputs.add(OUTPUT, job.templates.render(OUTPUT, {
        "programme": programme, "form": form, "data": script_json(form), **page}))
