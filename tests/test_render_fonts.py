"""PDFs do not depend on the fonts a machine happens to have: qsi ships its fonts (the
Liberation fonts, as "qsi Sans", "qsi Serif" and "qsi Mono") and every PDF uses them.

The installed qsi renders the certificates three times, each under its own fontconfig
configuration: the machine's own fonts; the machine's fonts plus extra ones, among them
a font that calls itself "Liberation Sans" and "Liberation Serif" (the names the
templates used to ask the machine for) but is really DejaVu; and no system fonts at all.
Every certificate must come out byte for byte the same, and embed only qsi's fonts."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import RunQsi
from render_support import REPO, need

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

FAKE_LIBERATION = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{extra}</dir>
  <match target="scan">
    <test name="file" compare="eq"><string>{extra}/sans.ttf</string></test>
    <edit name="family" mode="assign_replace"><string>Liberation Sans</string></edit>
  </match>
  <match target="scan">
    <test name="file" compare="eq"><string>{extra}/serif.ttf</string></test>
    <edit name="family" mode="assign_replace"><string>Liberation Serif</string></edit>
  </match>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""

NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def embedded_fonts(pdf: Path) -> set[str]:
    """Font names pdffonts lists, without the subset prefix ("ABCDEF+")."""
    need("pdffonts")
    done = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    return {line.split()[0].split("+", 1)[-1] for line in done.stdout.splitlines()[2:]}


@pytest.mark.slow
@pytest.mark.parametrize("templates", ["example override", "qsi default"])
def test_certificates_are_byte_identical_whatever_fonts_the_machine_has(
        tmp_path: Path, installed_qsi: RunQsi, templates: str) -> None:
    if not (DEJAVU / "DejaVuSans.ttf").is_file():
        pytest.fail("DejaVu fonts are missing: run 'bash .ci/install'")
    programme = REPO
    if templates == "qsi default":
        programme = tmp_path / "programme"
        shutil.copytree(REPO, programme, ignore=shutil.ignore_patterns(
            ".git", ".venv", ".tools", "src", "tests", "bench", "templates", "out", "*.egg-info"))
    extra = tmp_path / "extra-fonts"
    extra.mkdir()
    shutil.copy(DEJAVU / "DejaVuSans.ttf", extra / "sans.ttf")
    shutil.copy(DEJAVU / "DejaVuSerif.ttf", extra / "serif.ttf")
    configs = {"machine": None,
               "machine plus a fake Liberation": FAKE_LIBERATION,
               "no system fonts": NO_FONTS}
    rendered: dict[str, dict[str, bytes]] = {}
    for name, text in configs.items():
        env = {}
        if text is not None:
            config = tmp_path / f"{len(rendered)}.conf"
            config.write_text(text.format(extra=extra, cache=tmp_path / f"cache{len(rendered)}"),
                              "utf-8")
            env["FONTCONFIG_FILE"] = str(config)
        out = tmp_path / f"out{len(rendered)}"
        done = installed_qsi("render", "certificates", "-p", programme, "--out", out, env=env,
                             timeout=240)
        assert done.returncode == 0, done.stdout + done.stderr
        rendered[name] = pdfs(out)

    reference = rendered["machine"]
    assert len(reference) >= 20  # 8 winners and the highly commended of the example
    for name, files in rendered.items():
        assert files.keys() == reference.keys(), name
        different = [f for f in files if files[f] != reference[f]]
        assert not different, f"with {name}, these certificates differ: {different}"
    first = next(iter(sorted((tmp_path / "out0").rglob("*.pdf"))))
    fonts = embedded_fonts(first)
    assert fonts and all(font.startswith("qsi-") for font in fonts), fonts
