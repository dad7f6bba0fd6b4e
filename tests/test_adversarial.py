"""A hostile programme folder: every kind of bad file at once. qsi must answer with
findings — the right file, a line, and what to do — never a traceback or a hang."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import BASE, build_case, copy_base, negative_cases, run_cli

pytestmark = pytest.mark.slow

HOSTILE_FILES = 12


def base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def hostile(root: Path) -> Path:
    copy_base(root)
    entries, scores = root / "entries", root / "scores"
    good = (entries / "falls-huddles.md").read_text(encoding="utf-8")
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    (entries / "laughs.md").write_text(f"---\n{laughs}---\n", encoding="utf-8")
    (entries / "nested.md").write_text("---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n",
                                       encoding="utf-8")
    (entries / "one-line.md").write_text("---\ntitle: " + "x" * (1024 * 1024) + "\n---\n",
                                         encoding="utf-8")
    (scores / "many-keys.yaml").write_text(  # 100,000 keys in just under 1 MiB
        "judge: many-keys\nscores:\n" + "".join(f" {base36(i)}:\n" for i in range(100_000)),
        encoding="utf-8")
    (entries / "outside.md").symlink_to("/etc/hostname")
    (entries / "loop.md").symlink_to(entries / "loop.md")
    (entries / "with space.md").write_text(good, encoding="utf-8")
    (entries / "ünïcode.md").write_text(good, encoding="utf-8")
    (entries / "--leading-dashes.md").write_text(good, encoding="utf-8")
    (entries / "Falls-Huddles.md").write_text(good, encoding="utf-8")
    (entries / "crlf-bom.md").write_bytes(b"\xef\xbb\xbf" + good.replace(
        "title: Falls huddles", "title: Falls huddles\ntitle: again").replace(
        "\n", "\r\n").encode())
    (entries / "empty.md").write_bytes(b"")
    (entries / "a-folder.md").mkdir()
    return root


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, Any], str]:
    root = hostile(tmp_path_factory.mktemp("hostile") / "p")
    out = run_cli(["validate", "-p", root, "--format", "json"])
    text = run_cli(["validate", "-p", root])
    return out.exit_code, json.loads(out.stdout), text.stdout


def codes_for(doc: dict[str, Any], path: str) -> set[str]:
    return {f["code"] for f in doc["findings"] if f["path"] == path}


@pytest.mark.timeout(60)
def test_every_hostile_file_gets_its_finding(result: tuple[int, dict[str, Any], str]) -> None:
    exit_code, doc, text = result
    assert exit_code == 1
    assert "Traceback" not in text
    assert codes_for(doc, "entries/laughs.md") == {"yaml-alias"}
    assert codes_for(doc, "entries/nested.md") == {"too-large"}
    assert codes_for(doc, "entries/one-line.md") == {"too-large"}
    assert "unknown-entry" in codes_for(doc, "scores/many-keys.yaml")
    assert codes_for(doc, "entries/outside.md") == {"outside-folder"}
    assert codes_for(doc, "entries/loop.md") == {"outside-folder"}
    for name in ("with space", "ünïcode", "--leading-dashes"):
        assert codes_for(doc, f"entries/{name}.md") == {"bad-id"}
    clash = [f for f in doc["findings"] if f["path"] == "entries/Falls-Huddles.md"]
    assert [f["code"] for f in clash] == ["bad-id"]
    assert "clash with entries/falls-huddles.md on Windows and macOS" in clash[0]["message"]
    crlf = [f for f in doc["findings"] if f["path"] == "entries/crlf-bom.md"]
    assert ("duplicate-key", 3) in [(f["code"], f["line"]) for f in crlf]
    assert codes_for(doc, "entries/empty.md") == {"no-front-matter"}
    assert codes_for(doc, "entries/a-folder.md") == {"unreadable"}


def test_the_base_is_untouched_by_validation(tmp_path: Path) -> None:
    root = hostile(tmp_path / "p")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
    run_cli(["validate", "-p", root])
    assert {p: p.read_bytes() for p in before} == before


# What a person is told to do. Every message qsi gives about a bad file says what to do.
ACTION = re.compile(
    r"\b(add|remove|rename|use|write|check|fix|give|put|replace|save|shorten|cut|run|change|"
    r"flatten|keep|ask|make|delete|move|set|drop|list|split|quote)\b", re.IGNORECASE)
# Findings that report a fact about a value; the fix is the value itself (shown in the
# message together with what is allowed), so no verb is needed.
SELF_EVIDENT = {"wrong-type", "bad-date", "bad-email", "bad-choice", "bad-value", "bad-weight",
                "bad-id", "score-out-of-range", "unknown-field", "bad-scale", "wrong-category",
                "pending-judgement", "outside-categories", "setting-mismatch", "unknown-entry",
                "unknown-category", "unknown-criterion", "section-order",
                "needs-patient-involvement"}


def all_messages(tmp_path: Path) -> list[dict[str, Any]]:
    found = []
    for case in negative_cases():
        root = build_case(case, tmp_path / case.name)
        found += json.loads(run_cli(["validate", "-p", root, "--format", "json"]).stdout)[
            "findings"]
    root = hostile(tmp_path / "hostile")
    found += json.loads(run_cli(["validate", "-p", root, "--format", "json"]).stdout)[
        "findings"]
    return found


def test_every_message_names_the_file_and_line_and_what_to_do(tmp_path: Path) -> None:
    findings = all_messages(tmp_path)
    assert len({f["code"] for f in findings}) >= 40
    for f in findings:
        assert f["path"] and not os.path.isabs(f["path"]) and ".." not in f["path"].split("/")
        whole_file = f["code"] in {"bad-id", "stray-file", "unreadable", "missing-file",
                                   "outside-folder", "symbolic-link",
                                   "reserved-name"} and f["line"] is None
        assert f["line"] is not None or whole_file, f
        message = f["message"]
        first = message.split()[0]
        assert message[:1].isupper() or message[:1] in "'\"" or first.endswith(
            (".md", ".yaml", ".yml")), f
        assert message.endswith((".", "?")), f
        assert "\n" not in message and "Traceback" not in message
        assert f["code"] in SELF_EVIDENT or ACTION.search(message), f


def test_base_example_is_clean() -> None:
    assert run_cli(["validate", "-p", BASE, "--strict"]).exit_code == 0
