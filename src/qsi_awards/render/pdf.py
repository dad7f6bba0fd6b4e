"""HTML to PDF with WeasyPrint, offline and confined.

WeasyPrint is imported here, only when a PDF is needed (it costs about a second).
Its URL fetcher is replaced: a template may load `data:` URLs and files inside the
programme's templates/ folder or qsi's default templates (a logo, a font), and
nothing else: no network, no other file on the machine. Refused loads are reported
as warnings; the PDF is still made without them.

Every PDF gets qsi's own fonts (`fonts/faces.css`: the Liberation fonts, shipped in the
package as "qsi Sans", "qsi Serif" and "qsi Mono"), so the same input gives the same
bytes on any machine, whatever fonts it has installed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import ProblemsFound, QsiError

FONTS = Path(__file__).resolve().parent.parent / "fonts"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _allowed_file(url: str, folders: Sequence[Path]) -> bool:
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_file() and any(path.is_relative_to(folder) for folder in folders)


class PdfMaker:
    """Renders HTML strings to PDF bytes, sharing WeasyPrint's font configuration."""

    def __init__(self, folders: Sequence[Path], base: Path) -> None:
        try:
            import weasyprint
            from weasyprint.text.fonts import FontConfiguration
        except (ImportError, OSError) as error:  # not installed, or pango missing
            raise QsiError("PDF output needs WeasyPrint and the Pango library it uses: "
                           "reinstall qsi with pip, and install Pango (on Debian or Ubuntu: "
                           f"apt install libpango-1.0-0) ({type(error).__name__}: {error}).",
                           ) from None

        self._weasyprint = weasyprint
        self.folders = [f.resolve() for f in folders if f.is_dir() and not f.is_symlink()]
        self.folders.append(FONTS)
        self.base = base.resolve().as_uri() + "/"
        self.fonts = FontConfiguration()
        self.warnings: list[str] = []
        self._fetcher = self._make_fetcher()
        self._faces = weasyprint.CSS(filename=str(FONTS / "faces.css"), font_config=self.fonts,
                                     url_fetcher=self._fetcher)

    @classmethod
    def for_programme(cls, root: Path) -> PdfMaker:
        """The maker for a programme's PDFs: they may load files from its templates/
        folder and qsi's default templates."""
        from .environment import PACKAGE_TEMPLATES

        folder = root / "templates"
        return cls([folder, PACKAGE_TEMPLATES], folder if folder.is_dir() else PACKAGE_TEMPLATES)

    def _make_fetcher(self) -> Any:
        folders = self.folders
        urls = self._weasyprint.urls

        def refuse(url: str) -> None:
            raise ValueError(f"qsi does not let templates load {url}: only data: URLs and "
                             "files in the programme's templates/ folder")

        if hasattr(urls, "URLFetcher"):  # WeasyPrint 66 and later

            class Fetcher(urls.URLFetcher):  # type: ignore[misc, name-defined]
                def fetch(self, url: str, headers: Any = None) -> Any:
                    lowered = url.lower()
                    if lowered.startswith("data:") or (
                            lowered.startswith("file:") and _allowed_file(url, folders)):
                        return super().fetch(url, headers)
                    refuse(url)

            return Fetcher(timeout=1, allow_redirects=False)

        def fetch(url: str) -> Any:  # older WeasyPrint: a function
            lowered = url.lower()
            if lowered.startswith("data:") or (
                    lowered.startswith("file:") and _allowed_file(url, folders)):
                return urls.default_url_fetcher(url)
            refuse(url)

        return fetch

    def __call__(self, html: str, label: str, banner: str | None = None,
                 in_margin: bool = False) -> bytes:
        """The PDF of `html`; `label` names the template in an error message. A `banner`
        ('Confidential — embargoed until 1 April 2020') is printed at the top of every
        page, in the page's top margin (`in_margin`, for documents with margins) or over
        whatever the page shows there (full-bleed designs such as certificates); no
        template rule can hide it."""
        logger = logging.getLogger("weasyprint")
        handler = _Collect()
        logger.addHandler(handler)
        propagate = logger.propagate
        logger.propagate = False
        try:
            document = self._weasyprint.HTML(string=html, base_url=self.base,
                                             url_fetcher=self._fetcher)
            sheets = [self._faces]
            if banner is not None:
                sheets.append(self._weasyprint.CSS(string=_banner_css(banner, in_margin),
                                                   font_config=self.fonts))
            data: bytes = document.write_pdf(font_config=self.fonts, stylesheets=sheets)
        except Exception as error:  # WeasyPrint failing on what a template produced
            raise ProblemsFound(f"Template {label}: WeasyPrint could not make the PDF "
                                f"({type(error).__name__}: {error}). Fix the template and "
                                "run the command again.") from None
        finally:
            logger.removeHandler(handler)
            logger.propagate = propagate
        for message in handler.messages:
            if "qsi does not let templates load" in message and message not in self.warnings:
                self.warnings.append(message)
        return data


def _banner_css(text: str, in_margin: bool) -> str:
    """A user stylesheet whose `!important` rules outrank every rule of the template
    (CSS cascade) and print `text` at the top of every page: in the top margin box, or
    in a box fixed at the top of the page (WeasyPrint repeats fixed boxes on every
    page)."""
    quoted = "".join(f"\\{ord(c):x} " if c in '"\\' or ord(c) < 32 else c for c in text)
    look = ("font: bold 9pt/1.2 'qsi Sans', sans-serif !important; color: #9b1c1c !important; "
            "visibility: visible !important; opacity: 1 !important;")
    if in_margin:
        return ('@page { @top-center { content: "' + quoted + '" !important; '
                "vertical-align: middle !important; " + look + " } }")
    return ('html::before { content: "' + quoted + '" !important; display: block !important; '
            "position: fixed !important; top: 2mm !important; left: 0 !important; "
            "right: 0 !important; width: 120mm !important; margin: 0 auto !important; "
            "padding: 1mm 2mm !important; box-sizing: border-box !important; "
            "text-align: center !important; background: #ffffff !important; "
            "border: 0.4mm solid #9b1c1c !important; transform: none !important; "
            "z-index: 2147483647 !important; float: none !important; "
            "clip-path: none !important; filter: none !important; " + look + " }")
