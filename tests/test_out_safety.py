"""--out never overwrites a programme's inputs, a symbolic link or anything but an ordinary
file (exit 2, the target untouched); render outputs of different kinds never replace one
another; a hostile render manifest gives a message, never a traceback or a deletion.

FIFOs and devices are tested through the installed `qsi` in a subprocess with a timeout,
so a regression that opened one could not hang the suite."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder import entry_meta, scores, write_programme
from conftest import RunQsi, run_cli

REFUSED_INPUT = "qsi never writes over a programme's inputs"


def small(root: Path, judges: tuple[str, ...] = ("j1", "j2")) -> Path:
    """Two entries, fully judged by `judges`; an adoption record and a decision."""
    entries = {"alpha": entry_meta("alpha", submitted_by="amy"),
               "beta": entry_meta("beta")}
    return write_programme(
        root, entries=entries,
        judges=[{"id": j, "name": f"Judge {j}", "organisation": f"Panel {j}"} for j in judges],
        sheets={j: {"alpha": scores(9, 9), "beta": scores(5, 5)} for j in judges},
        judging={"shortlist_size": 2, "highly_commended": 1},
        decisions=[{"category": "cat-a", "winner": "alpha", "reason": "Steering group."}],
        adoption=[{"entry": "alpha", "organisation": "Other Trust", "stage": "piloting",
                   "date": "2020-06-01"}])


@pytest.fixture
def programme(tmp_path: Path) -> Path:
    return small(tmp_path / "programme")


def snapshot(root: Path) -> dict[str, bytes | str]:
    """Every file (bytes) and link (target) under root."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[rel] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[rel] = path.read_bytes()
    return found


def refused(args: list[str | Path], message: str, cwd: Path | None = None) -> str:
    result = run_cli(args, cwd=cwd)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("qsi: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    return result.stderr


# --out FILE: the programme's inputs ------------------------------------------------------

WRITERS = [["tally"], ["tally", "--format", "json"], ["adoption", "--format", "markdown"],
           ["codeowners"]]


@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c))
@pytest.mark.parametrize("target", [
    "programme.yaml", "categories.yaml", "judges.yaml", "decisions.yaml", "adoption.yaml",
    "scores/j1.yaml", "entries/alpha.md", "entries/new.md", "templates/page.html",
    "PROGRAMME.YAML", "Scores/j1.yaml", "entries/../judges.yaml", "scores/./../decisions.yaml",
])
def test_out_file_may_not_be_a_programme_input(programme: Path, command: list[str],
                                               target: str) -> None:
    before = snapshot(programme)
    message = refused([*command, "-p", programme, "--out", programme / target], REFUSED_INPUT)
    assert "programme folder" in message
    assert snapshot(programme) == before  # nothing replaced, nothing created


def test_out_file_relative_to_the_current_folder(programme: Path) -> None:
    """`qsi tally --out programme.yaml` run inside the programme (the issue's case)."""
    before = snapshot(programme)
    refused(["tally", "--out", "programme.yaml"], REFUSED_INPUT, cwd=programme)
    refused(["adoption", "--format", "markdown", "--out", "adoption.yaml"], REFUSED_INPUT,
            cwd=programme)
    refused(["codeowners", "--out", "decisions.yaml"], REFUSED_INPUT, cwd=programme)
    refused(["tally", "-p", ".", "--out", "scores/j1.yaml"], REFUSED_INPUT, cwd=programme)
    assert snapshot(programme) == before


def test_an_input_that_does_not_exist_yet_is_refused_too(tmp_path: Path) -> None:
    root = small(tmp_path / "p")
    (root / "adoption.yaml").unlink()
    (root / "decisions.yaml").unlink()
    refused(["adoption", "-p", root, "--out", root / "adoption.yaml"], REFUSED_INPUT)
    refused(["tally", "-p", root, "--out", root / "decisions.yaml"], REFUSED_INPUT)
    assert not (root / "adoption.yaml").exists() and not (root / "decisions.yaml").exists()


def test_an_input_reached_through_a_linked_folder_is_refused(programme: Path,
                                                            tmp_path: Path) -> None:
    link = tmp_path / "elsewhere"
    link.symlink_to(programme)
    before = snapshot(programme)
    refused(["tally", "-p", programme, "--out", link / "categories.yaml"], REFUSED_INPUT)
    refused(["tally", "-p", link, "--out", programme / "scores" / "j2.yaml"], REFUSED_INPUT)
    assert snapshot(programme) == before


def test_ordinary_out_files_still_work(programme: Path, tmp_path: Path) -> None:
    old = tmp_path / "tally.md"
    old.write_text("last week's tally\n", "utf-8")
    assert run_cli(["tally", "-p", programme, "-f", "markdown", "--out", old]).exit_code == 0
    assert old.read_text("utf-8").startswith("#")
    assert run_cli(["codeowners", "-p", programme, "--out",
                    programme / ".github" / "CODEOWNERS"]).exit_code == 0
    assert "@amy" in (programme / ".github" / "CODEOWNERS").read_text("utf-8")
    out = programme / "out" / "adoption.md"
    assert run_cli(["adoption", "-p", programme, "-f", "markdown", "--out", out]).exit_code == 0
    assert "Other Trust" in out.read_text("utf-8")


# --out FILE: links, FIFOs, devices -------------------------------------------------------

@pytest.mark.parametrize("command", WRITERS, ids=lambda c: "-".join(c))
def test_out_file_may_not_be_a_symbolic_link(programme: Path, tmp_path: Path,
                                             command: list[str]) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"keep me\n")
    link, dangling = tmp_path / "link.txt", tmp_path / "dangling.txt"
    link.symlink_to(real)
    dangling.symlink_to(tmp_path / "nowhere.txt")
    for target in (link, dangling):
        refused([*command, "-p", programme, "--out", target], "is a symbolic link")
        assert target.is_symlink()
    assert os.readlink(link) == str(real) and real.read_bytes() == b"keep me\n"
    assert not (tmp_path / "nowhere.txt").exists()


def check_untouched_after(installed_qsi: RunQsi, programme: Path, target: Path,
                          message: str) -> None:
    """Run every writer with --out target in a subprocess: exit 2, the message, and the
    same file-system object (type, inode, device number) afterwards."""
    before = os.lstat(target)
    for command in WRITERS:
        run = installed_qsi(*command, "-p", programme, "--out", target, timeout=60)
        assert run.returncode == 2, run.stderr
        assert message in run.stderr and "Traceback" not in run.stderr
        after = os.lstat(target)
        assert (stat.S_IFMT(after.st_mode), after.st_ino, after.st_rdev) == (
            stat.S_IFMT(before.st_mode), before.st_ino, before.st_rdev)


def test_out_file_may_not_be_a_fifo(installed_qsi: RunQsi, programme: Path,
                                    tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    check_untouched_after(installed_qsi, programme, fifo, "is a named pipe (FIFO)")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.fixture
def device(tmp_path: Path) -> Iterator[Path]:
    """A character device to aim --out at: as root (who could replace anything) a copy
    of /dev/null made in tmp_path, so a regression cannot clobber the real one; as
    anyone else /dev/null itself, which they cannot replace."""
    if os.geteuid() == 0:
        path = tmp_path / "null"
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        yield path
    else:
        yield Path("/dev/null")


def test_out_file_may_not_be_a_device(installed_qsi: RunQsi, programme: Path,
                                      device: Path) -> None:
    check_untouched_after(installed_qsi, programme, device, "is a device")
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_out_file_may_not_be_a_socket(programme: Path, tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        refused(["tally", "-p", programme, "--out", path], "is a socket")
        assert stat.S_ISSOCK(os.lstat(path).st_mode)


# --out DIR: schema and render ------------------------------------------------------------

@pytest.mark.parametrize("target", [".", "entries", "scores", "templates", "templates/x",
                                    "Entries", "out/../scores"])
def test_out_folder_may_not_be_the_programme_or_an_input_folder(programme: Path,
                                                                target: str) -> None:
    (programme / "templates").mkdir()
    before = snapshot(programme)
    for command in (["schema"], ["render", "shortlist"], ["render", "site"]):
        refused([*command, "-p", programme, "--out", programme / target], REFUSED_INPUT)
    refused(["schema", "--out", target], REFUSED_INPUT, cwd=programme)
    assert snapshot(programme) == before
    assert not (programme / "out").exists()


def test_out_folder_may_not_hold_the_programme(programme: Path) -> None:
    before = snapshot(programme.parent)
    for command in (["schema"], ["render", "announcement"]):
        refused([*command, "-p", programme, "--out", programme.parent], "holds the programme")
    assert snapshot(programme.parent) == before


def test_schema_into_its_documented_folder_still_works(programme: Path) -> None:
    result = run_cli(["schema", "--out", "schemas"], cwd=programme)
    assert result.exit_code == 0, result.output
    assert (programme / "schemas" / "programme.json").is_file()
    again = run_cli(["schema", "-p", programme, "--out", programme / "schemas"])
    assert again.exit_code == 0, again.output


@pytest.mark.parametrize("command", [["schema"], ["render", "shortlist"]],
                         ids=lambda c: "-".join(c))
def test_out_folder_may_not_be_a_link_a_fifo_or_a_file(programme: Path, tmp_path: Path,
                                                       command: list[str]) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link, fifo, file = tmp_path / "link", tmp_path / "fifo", tmp_path / "file"
    link.symlink_to(real)
    os.mkfifo(fifo)
    file.write_bytes(b"keep\n")
    refused([*command, "-p", programme, "--out", link], "is a symbolic link")
    refused([*command, "-p", programme, "--out", fifo], "is a named pipe (FIFO)")
    refused([*command, "-p", programme, "--out", file], "is a file")
    assert list(real.iterdir()) == [] and link.is_symlink()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and file.read_bytes() == b"keep\n"


def test_schema_does_not_replace_a_link_or_fifo_in_its_folder(programme: Path,
                                                              tmp_path: Path) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.json"
    out.mkdir()
    victim.write_bytes(b"{}\n")
    (out / "judges.json").symlink_to(victim)
    os.mkfifo(out / "entry.json")
    refused(["schema", "-p", programme, "--out", out], "is a symbolic link")
    assert (out / "judges.json").is_symlink() and victim.read_bytes() == b"{}\n"
    (out / "judges.json").unlink()
    refused(["schema", "-p", programme, "--out", out], "is a named pipe (FIFO)")
    assert stat.S_ISFIFO(os.lstat(out / "entry.json").st_mode)
    assert sorted(p.name for p in out.iterdir()) == ["entry.json"]  # nothing written


# Render outputs of different kinds never collide -----------------------------------------

@pytest.fixture
def panel(tmp_path: Path) -> Path:
    """A programme whose judges are called `index` and `shortlist`."""
    return small(tmp_path / "panel", judges=("index", "shortlist"))


def test_a_judge_called_index_never_replaces_the_public_home_page(panel: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "site", "-p", panel, "--out", out]).exit_code == 0
    assert run_cli(["render", "shortlist", "-p", panel, "--out", out]).exit_code == 0
    before = snapshot(out)
    message = refused(["render", "packs", "-p", panel, "--out", out],
                      "'qsi render site' wrote it, and 'qsi render packs' would overwrite it")
    assert f"{out / 'index.html'}" in message
    assert snapshot(out) == before  # no pack written, the public pages are the public pages


def test_a_judge_called_shortlist_never_replaces_the_public_shortlist(panel: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "shortlist", "-p", panel, "--out", out]).exit_code == 0
    before = snapshot(out)
    message = refused(["render", "packs", "-p", panel, "--out", out],
                      "'qsi render shortlist' wrote it, and 'qsi render packs' would "
                      "overwrite it")
    assert f"{out / 'shortlist.html'}" in message
    assert snapshot(out) == before


def test_public_pages_never_replace_a_confidential_pack(panel: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "packs", "-p", panel, "--out", out]).exit_code == 0
    before = snapshot(out)
    assert {"index.html", "index.pdf", "shortlist.html", "shortlist.pdf"} <= set(before)
    refused(["render", "site", "-p", panel, "--out", out], "'qsi render packs' wrote it")
    refused(["render", "shortlist", "-p", panel, "--out", out], "'qsi render packs' wrote it")
    assert snapshot(out) == before


def test_render_never_replaces_a_file_qsi_did_not_write(programme: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_bytes(b"<p>my own page</p>\n")
    refused(["render", "site", "-p", programme, "--out", out], "qsi did not write it")
    assert snapshot(out) == {"index.html": b"<p>my own page</p>\n"}


def test_render_never_replaces_a_file_changed_since_it_wrote_it(programme: Path,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "shortlist", "-p", programme, "--out", out]).exit_code == 0
    (out / "shortlist.md").write_bytes(b"edited by hand\n")
    refused(["render", "shortlist", "-p", programme, "--out", out], "has changed since")
    assert (out / "shortlist.md").read_bytes() == b"edited by hand\n"


def test_a_changed_stale_page_is_left_with_a_warning(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run_cli(["render", "site", "-p", programme, "--out", out]).exit_code == 0
    (out / "entries" / "beta.html").write_bytes(b"annotated\n")
    beta = programme / "entries" / "beta.md"
    beta.write_text(beta.read_text("utf-8").replace("consent_to_publish: true",
                                                    "consent_to_publish: false"), "utf-8")
    result = run_cli(["render", "site", "-p", programme, "--out", out])
    assert result.exit_code == 0, result.output
    assert "entries/beta.html" in result.stderr and "changed since" in result.stderr
    assert (out / "entries" / "beta.html").read_bytes() == b"annotated\n"
    # no longer qsi's: the next run leaves it alone and says nothing more about it
    again = run_cli(["render", "site", "-p", programme, "--out", out])
    assert again.exit_code == 0 and "beta.html" not in again.stderr


# A hostile manifest -----------------------------------------------------------------------

def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(files: dict[str, Any]) -> str:
    return json.dumps({"qsi-render": 2, "files": files})


VICTIM = b"not qsi's\n"


@pytest.mark.parametrize("text", [
    "[" * 200_000 + "]" * 200_000,
    '{"qsi-render": 2, "files": ' + '{"a": ' * 100_000 + "1" + "}" * 100_001,
    "not json",
    b"\xff\xfe{}",
    "[]",
    '{"qsi-render": 2, "files": []}',
    '{"qsi-render": 3, "files": {}}',
    manifest({"index.html": {"kind": "site", "sha256": "abc"}}),
    manifest({"index.html": {"kind": 7, "sha256": [sha256(VICTIM)]}}),
    manifest({"../victim.txt": {"kind": "site", "sha256": [sha256(VICTIM)]}}),
    manifest({"/VICTIM": {"kind": "site", "sha256": [sha256(VICTIM)]}}),
    manifest({"entries//x.html": {"kind": "site", "sha256": [sha256(VICTIM)]}}),
    '{"site": ["../victim.txt", "/VICTIM"]}',
], ids=["deep-list", "deep-object", "not-json", "not-utf8", "a-list", "files-a-list",
        "another-format", "hash-not-a-list", "kind-not-text", "dot-dot", "absolute",
        "empty-part", "earlier-qsi"])
def test_a_hostile_manifest_is_refused_with_a_message(programme: Path, tmp_path: Path,
                                                      text: str | bytes) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.txt"
    out.mkdir()
    victim.write_bytes(VICTIM)
    data = text if isinstance(text, bytes) else text.replace("/VICTIM", str(victim)).encode()
    (out / ".qsi-render.json").write_bytes(data)
    refused(["render", "site", "-p", programme, "--out", out],
            ".qsi-render.json is not a list of the files qsi wrote")
    assert victim.read_bytes() == VICTIM
    assert sorted(p.name for p in out.iterdir()) == [".qsi-render.json"]


def test_a_huge_manifest_is_refused_unread(programme: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".qsi-render.json").open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)
    refused(["render", "site", "-p", programme, "--out", out], "larger than")


@pytest.mark.parametrize("make", ["link", "folder", "fifo"])
def test_a_manifest_that_is_not_a_file_is_refused(installed_qsi: RunQsi, programme: Path,
                                                  tmp_path: Path, make: str) -> None:
    out, victim = tmp_path / "out", tmp_path / "victim.json"
    out.mkdir()
    victim.write_text(manifest({}), "utf-8")
    path = out / ".qsi-render.json"
    if make == "link":
        path.symlink_to(victim)
    elif make == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    run = installed_qsi("render", "site", "-p", programme, "--out", out, timeout=60)
    assert run.returncode == 2, run.stderr
    assert "is not a list of the files qsi wrote" in run.stderr
    assert "Traceback" not in run.stderr
    assert victim.read_text("utf-8") == manifest({})
    assert not (out / "index.html").exists()


def test_a_manifest_never_deletes_through_a_link_or_a_file_qsi_did_not_write(
        programme: Path, tmp_path: Path) -> None:
    """A planted manifest in the right form claims files for `site` that the run does
    not make: one beyond a linked folder, a link, and an ordinary file whose bytes are
    not those it claims. The run succeeds and removes none of them."""
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    (outside / "victim.txt").write_bytes(VICTIM)
    (out / "sub").symlink_to(outside)
    (out / "link.html").symlink_to(outside / "victim.txt")
    (out / "notes.txt").write_bytes(b"mine\n")
    claim = {"kind": "site", "sha256": [sha256(VICTIM)]}
    (out / ".qsi-render.json").write_text(manifest(
        {"sub/victim.txt": claim, "link.html": claim, "notes.txt": claim}), "utf-8")
    result = run_cli(["render", "site", "-p", programme, "--out", out])
    assert result.exit_code == 0, result.output
    assert (outside / "victim.txt").read_bytes() == VICTIM
    assert (out / "link.html").is_symlink() and (out / "sub").is_symlink()
    assert (out / "notes.txt").read_bytes() == b"mine\n"
    assert (out / "index.html").is_file()
    recorded = json.loads((out / ".qsi-render.json").read_text("utf-8"))["files"]
    assert "notes.txt" not in recorded and "index.html" in recorded
