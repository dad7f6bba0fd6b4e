"""Helpers for the `qsi render` tests: run the command, read PDFs back with poppler,
read HTML as text and tags, drive headless Chromium.

Import as ``from render_support import ...`` (tests/ is on sys.path, like builder).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from qsi_awards.errors import QsiError

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
A4_LANDSCAPE = (841.89, 595.28)


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def qsi(*args: str | Path) -> Run:
    """Run `qsi ARGS` in-process. Exceptions other than QsiError are not caught (a
    traceback fails the test); a QsiError that reaches here becomes its exit code."""
    from qsi_awards.cli import app

    try:
        result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    except QsiError as error:
        return Run(error.exit_code, "", f"qsi: {error.message}\n")
    return Run(result.exit_code, result.stdout, result.stderr)


def render(kind: str, programme: Path, out: Path, expect: int = 0) -> Run:
    run = qsi("render", kind, "-p", programme, "--out", out)
    assert run.exit_code == expect, run.output
    assert "Traceback" not in run.output
    return run


def files_under(root: Path) -> set[str]:
    """Every file under root, '/'-separated and relative, the render manifest excluded."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and p.name != ".qsi-render.json"}


# PDFs ---------------------------------------------------------------------------------

def need(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed (poppler-utils); run .ci/install")


def pdf_text(path: Path) -> str:
    """The PDF's text (pdftotext), white space collapsed to single spaces."""
    need("pdftotext")
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True)
    return " ".join(done.stdout.split())


def pdf_info(path: Path) -> dict[str, str]:
    need("pdfinfo")
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    info = {}
    for line in done.stdout.splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def page_size(path: Path) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(path)["Page size"])
    assert match, pdf_info(path)
    return float(match.group(1)), float(match.group(2))


# HTML -----------------------------------------------------------------------------------

@dataclass
class Page:
    """The elements of an HTML document and its visible text."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    text: str = ""  # text nodes joined by spaces, white space collapsed
    flat: str = ""  # text nodes joined as they are (as a reader sees them), collapsed


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._chunks: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.page.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._in.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.page.scripts.append(data)
        elif not self._in:
            self._chunks.append(data)

    def close(self) -> None:
        super().close()
        self.page.text = " ".join(" ".join(self._chunks).split())
        self.page.flat = " ".join("".join(self._chunks).split())


def parse_html(text: str) -> Page:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.page


def github_markdown(source: str) -> Page:
    """Markdown as GitHub would show it, near enough: an independent renderer (markdown-it:
    CommonMark, raw HTML allowed, tables, strikethrough, and linkify for the bare web and
    e-mail addresses GitHub links), read back as tags and text."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True, "linkify": True})
    return parse_html(md.enable(["table", "strikethrough", "linkify"]).render(source))


# The tags Markdown itself makes; anything else in rendered Markdown is raw HTML.
MARKDOWN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em",
                 "code", "pre", "blockquote", "hr", "br", "table", "thead", "tbody", "tr",
                 "th", "td"}


def squash(text: str) -> str:
    """Text without any white space (PDF line breaks and letter spacing vary)."""
    return "".join(text.split())


def words(text: str) -> str:
    """Text with HTML entities decoded and white space collapsed, for 'is it in there'."""
    return " ".join(html.unescape(text).split())


# Chromium -------------------------------------------------------------------------------

@dataclass
class Browser:
    context: Any
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def page(self) -> Any:
        page = self.context.new_page()
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

        def dismiss(dialog: Any) -> None:
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        return page

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught page errors and dialogs so far."""
        return ([f"console {kind}: {text}" for kind, text in self.console
                 if kind in ("error", "warning")]
                + [f"page error: {e}" for e in self.errors]
                + [f"dialog: {d}" for d in self.dialogs])


@contextmanager
def chromium(javascript: bool = True) -> Iterator[Browser]:
    """Debian's headless Chromium with a fresh profile, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run .ci/install (Debian's chromium package)")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="qsi-chromium-") as profile, \
            sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=profile, executable_path=CHROMIUM, headless=True,
            args=CHROMIUM_FLAGS, viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript)
        try:
            yield Browser(context)
        finally:
            context.close()


def artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


# A programme with hostile entry text -------------------------------------------------------

HOSTILE_TITLE = "<script>alert(1)</script> Hostile [click](javascript:alert(1))"
HOSTILE_ORGANISATION = 'Evil "><img src=x onerror=alert(2)> Trust'
HOSTILE_SUMMARY = ("<img src=x onerror=alert(3)> and [click](javascript:alert(4)) "
                   "<script>alert(5)</script>")
HOSTILE_BODY = """## Challenge

<img src=x onerror=alert(8)>

<script>alert(9)</script>

[click](javascript:alert(10)) [also](JaVaScRiPt:alert(11))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMik8L3NjcmlwdD4=) <javascript:alert(13)>
[tab](java\tscript:alert(15)) ![tracker](https://tracker.example/pixel.png)
[a fine link](https://example.org/ok) and [mail](mailto:team@example.org)
[proto](//evil.example/x) [root](/etc/passwd) [unc](<\\\\evil.example\\share>)

## Impact

<a href="javascript:alert(14)">x</a> <iframe src="https://evil.example"></iframe>
"""


# a measure whose words try to break out of the chart's SVG and the page around it
HOSTILE_MEASURE = {
    "id": "hostile", "title": '</title><script>alert(8)</script> Falls "><svg onload=alert(9)>',
    "unit": "</text><foreignObject><img src=x onerror=alert(10)></foreignObject> falls",
    "improvement": "lower", "target": 4,
    "points": {f"2019-{month:02d}": value for month, value in zip(
        range(1, 13), [6, 7, 6, 5, 4, 4, 3, 3, 2, 3, 2, 2], strict=True)} | {"2020-01": 1},
}


def hostile_programme(root: Path) -> Path:
    """A small programme whose winning entry is hostile in every field it can be."""
    from builder import entry_meta, entry_text, scores, write_programme

    write_programme(
        root,
        entries={"calm": entry_meta("calm", title="A calm and ordinary project")},
        sheets={"j1": {"hostile": scores(9, 9), "calm": scores(5, 5)},
                "j2": {"hostile": scores(9, 8), "calm": scores(5, 6)}},
        judging={"shortlist_size": 2, "highly_commended": 1},
    )
    meta = entry_meta(
        "hostile", title=HOSTILE_TITLE, organisation=HOSTILE_ORGANISATION,
        summary=HOSTILE_SUMMARY, team=["<b onmouseover=alert(6)>Bold</b>"],
        lead={"name": "Mallory <svg onload=alert(7)>", "email": "mallory@example.nhs.uk"},
        submitted_by="mallory-h", measures=[HOSTILE_MEASURE])
    (root / "entries" / "hostile.md").write_text(entry_text(meta, HOSTILE_BODY), "utf-8")
    return root


DANGEROUS_TAGS = {"script", "img", "iframe", "object", "embed", "frame", "base", "form",
                  "meta", "link", "svg", "math", "style"}
OUR_SVG_CLASSES = {"brand__mark", "card__medal", "spc-chart", "spc-icon", "score-chart"}


def assert_inert_html(text: str, where: str, *, own_script: bool = False) -> Page:
    """No element or attribute from entrant text can run: no event handler attributes,
    no javascript:/data:/vbscript: links, no tags outside what qsi's templates write."""
    page = parse_html(text)
    head_done = False
    for tag, attrs in page.tags:
        if tag == "link" and not head_done and attrs == {"rel": "icon", "href": "data:,"}:
            continue  # qsi's own empty favicon, so browsers ask for no other
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                scheme = value.strip().lower().split(":", 1)[0] if ":" in value else ""
                assert scheme in ("", "http", "https", "mailto"), f"{where}: {name}={value!r}"
        if tag == "body":
            head_done = True
        if tag in DANGEROUS_TAGS and head_done:
            if tag == "svg":
                assert attrs.get("class") in OUR_SVG_CLASSES, f"{where}: <svg {attrs}>"
            elif tag == "form":
                assert attrs.get("id") == "filters", f"{where}: <form {attrs}>"
            elif tag == "script":
                assert own_script, f"{where}: a script element"
            else:
                raise AssertionError(f"{where}: a <{tag}> element from entrant text")
    scripts = [s for s in page.scripts if s.strip()]
    assert len(scripts) <= (1 if own_script else 0), f"{where}: {len(scripts)} scripts"
    assert not any("alert" in s for s in scripts), where
    return page
