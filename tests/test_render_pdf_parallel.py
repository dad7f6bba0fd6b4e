"""PDFs made by worker processes are the bytes one process makes, in the same order,
and a template WeasyPrint cannot use fails the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from qsi_awards.errors import ProblemsFound
from qsi_awards.render.environment import PACKAGE_TEMPLATES
from qsi_awards.render.pdf import PdfMaker


def test_many_gives_the_same_bytes_in_order() -> None:
    maker = PdfMaker([PACKAGE_TEMPLATES], PACKAGE_TEMPLATES)
    documents = [f"<h1>Certificate {n}</h1><p>{'word ' * n}</p>" for n in range(6)]
    one_by_one = [maker(html, "test.html") for html in documents]
    assert len(set(one_by_one)) == 6
    assert maker.many(documents, "test.html") == one_by_one


def test_many_reports_a_failing_template(monkeypatch: pytest.MonkeyPatch) -> None:
    maker = PdfMaker([PACKAGE_TEMPLATES], PACKAGE_TEMPLATES)

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("cannot lay out this page")

    monkeypatch.setattr(maker._weasyprint, "HTML", broken)
    with pytest.raises(ProblemsFound, match="Template cert.html: WeasyPrint could not make"):
        maker.many(["<p>a</p>"] * 4, "cert.html")


def test_remote_loads_are_refused_in_workers_too(tmp_path: Path) -> None:
    maker = PdfMaker([PACKAGE_TEMPLATES], PACKAGE_TEMPLATES)
    html = '<img src="https://example.org/logo.png"><img src="file:///etc/hostname"><p>x</p>'
    pdfs = maker.many([html] * 4, "cert.html")
    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)
    assert any("qsi does not let templates load https://example.org/logo.png" in w
               for w in maker.warnings)
