"""Every HTML page qsi renders is valid HTML by the Nu HTML checker (vnu, the W3C's
current checker, from npm's vnu-jar; .ci/install puts it in .tools/), for the example
programme and for one full of hostile entry text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from render_support import REPO, hostile_programme, qsi, render

pytestmark = pytest.mark.slow

VNU = REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def check(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    if not VNU.exists() or shutil.which("java") is None:
        pytest.fail(f"{VNU} or java is missing; run .ci/install")
    return subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text",
                           *map(str, paths)], capture_output=True, text=True, timeout=240)


@pytest.mark.browser
def test_rendered_html_is_valid(tmp_path: Path) -> None:
    pages: list[Path] = []
    for name, programme in (("example", REPO),
                            ("hostile", hostile_programme(tmp_path / "hostile"))):
        out = tmp_path / f"out-{name}"
        for kind in ("site", "shortlist", "entry-form"):
            render(kind, programme, out)
        pages += [out / "index.html", out / "shortlist.html", out / "entry-form.html",
                  out / "how-to-enter.html", *sorted((out / "entries").glob("*.html"))]
    pages.append(tmp_path / "out-example" / "privacy.html")  # the example's PRIVACY.md
    packs = tmp_path / "packs"
    render("packs", REPO / "tests" / "examples" / "base", packs)
    pages += sorted(packs.glob("*.html"))
    # the results pack, and the site and shortlist before the results are released
    embargoed = tmp_path / "embargoed"
    for kind, extra in (("results", []), ("site", ["--today", "2020-03-15"]),
                        ("shortlist", ["--today", "2020-03-15"])):
        assert qsi("render", kind, "-p", REPO, "--out", embargoed / kind,
                   *extra).exit_code == 0
    pages += [embargoed / "results" / "results.html", embargoed / "site" / "index.html",
              embargoed / "site" / "how-to-enter.html",
              embargoed / "shortlist" / "shortlist.html",
              *sorted((embargoed / "site" / "entries").glob("*.html"))]
    assert len(pages) > 80
    result = check(pages)
    assert result.returncode == 0, result.stdout + result.stderr

    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><title>x</title><p><div></p>", encoding="utf-8")
    assert check([broken]).returncode != 0  # the checker really checks
