"""Judge packs: neutral references instead of entry IDs, the programme team's key,
redaction of e-mail addresses, web addresses and handles, and references that never
break across lines (issue 9)."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import subprocess
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from builder import entry_meta, entry_text, scores, write_programme
from qsi_awards.judging.references import draw, references
from qsi_awards.render import context
from qsi_awards.render.text import redact_contacts
from render_support import files_under, need, parse_html, pdf_text, render

KEY = "CONFIDENTIAL_references.csv"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# References --------------------------------------------------------------------------

def test_a_reference_is_the_first_30_bits_of_the_hash_in_crockford_base32() -> None:
    digest = hashlib.sha256(b"2020\nmaidstone-trust-huddles").digest()
    bits = "".join(f"{byte:08b}" for byte in digest)[:30]
    expected = "E-" + "".join(CROCKFORD[int(bits[i:i + 5], 2)] for i in range(0, 30, 5))
    assert draw("2020", "maidstone-trust-huddles") == expected
    assert re.fullmatch(r"E-[0-9A-HJKMNP-TV-Z]{6}", expected)
    # another edition, another reference; the same inputs, the same reference
    assert draw("2021", "maidstone-trust-huddles") != expected
    assert references("2020", {"maidstone-trust-huddles": "2020-01-15"}) == {
        "maidstone-trust-huddles": expected}


def colliding_ids(edition: str) -> tuple[str, str]:
    """Two entry IDs whose first draws are the same reference (a birthday search:
    about 2^15 IDs for 30 bits)."""
    seen: dict[str, str] = {}
    for n in itertools.count():
        entry_id = f"entry-{n}"
        reference = draw(edition, entry_id)
        if reference in seen:
            return seen[reference], entry_id
        seen[reference] = entry_id
    raise AssertionError("unreachable")


def test_colliding_references_are_resolved_by_submission_order_and_stay_stable() -> None:
    first, second = colliding_ids("2020")
    shared = draw("2020", first)
    assert draw("2020", second) == shared  # a real collision
    alone = references("2020", {first: "2020-01-10", "other": "2020-01-11"})
    assert alone[first] == shared
    # `second` was submitted later: it draws again, and `first` keeps its reference
    both = references("2020", {first: "2020-01-10", "other": "2020-01-11",
                               second: "2020-01-20"})
    assert both[first] == shared and both["other"] == alone["other"]
    assert both[second] == draw("2020", second, 1) != shared
    assert len(set(both.values())) == 3
    # whoever was submitted first keeps the shared draw; the same day: the smaller ID
    assert references("2020", {first: "2020-01-20", second: "2020-01-10"})[second] == shared
    same_day = references("2020", {first: "2020-01-10", second: "2020-01-10"})
    assert same_day[min(first, second)] == shared
    assert same_day[max(first, second)] == draw("2020", max(first, second), 1)


# Redaction ---------------------------------------------------------------------------

def test_redaction_takes_addresses_and_keeps_ordinary_text() -> None:
    text = ("Falls fell 30%, i.e. on ward 5 (node.js v1.2). See www.example.org. Mail "
            "a.b@c.nhs.uk, then (https://x.org/a_(b)). Thanks @team-1!")
    assert redact_contacts(text) == (
        "Falls fell 30%, i.e. on ward 5 (node.js v1.2). See [link removed]. Mail "
        "[e-mail], then ([link removed]). Thanks [handle]!")


# Packs -------------------------------------------------------------------------------

BODY = """## Challenge

Contact Ann Able at ann.able@maidstone.nhs.uk or the team on <falls@maidstone.nhs.uk>,
ring 01622 729000 or +44 (0)1622 224569, ask for BOB BAKER or Dr Pat J. Lead,
write to mailto:huddles@mtw.nhs.uk, or follow @MaidstoneFalls and @pat-lead-gh.

## Approach

Read [our huddle toolkit](https://www.maidstone.nhs.uk/huddles "Toolkit") and the
[audit report][audit], see ![the chart](https://cdn.example.org/chart.png), visit
www.maidstone-falls.org.uk, maidstone.nhs.uk/falls or <https://evil.example/track>.
Our [partner] helped (https://partner.example.com/about).

[audit]: https://intranet.maidstone.nhs.uk/audit.pdf
[partner]: <https://partner.example.com>
"""
IDENTIFYING = ["maidstone-trust-huddles", "Maidstone", "maidstone", "mtw", "Ann Able",
               "ann.able", "Bob Baker", "Pat Lead", "pat-lead-gh", "MaidstoneFalls", "@",
               "http", "www", ".uk", ".org", ".com", "partner.example", "evil.example",
               "BOB BAKER", "Pat J. Lead", "729000", "224569"]


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two judges score an entry whose ID, text and team give its organisation away."""
    root = tmp_path_factory.mktemp("packs") / "programme"
    meta = entry_meta(
        "maidstone-trust-huddles", organisation="Maidstone Hospital Trust",
        title="Safety huddles, see https://www.maidstone.nhs.uk or falls@maidstone.nhs.uk",
        summary="Huddles with Ann Able (ann.able@maidstone.nhs.uk), @MaidstoneFalls.",
        lead={"name": "Pat Lead", "email": "pat@maidstone.nhs.uk"},
        team=["Ann Able <ann.able@maidstone.nhs.uk>", "Bob Baker (bob@example.org)"],
        submitted_by="pat-lead-gh")
    write_programme(root, entries={"calm": entry_meta("calm")},
                    sheets={"j1": {"maidstone-trust-huddles": scores(None, None),
                                   "calm": scores(None, None)},
                            "j2": {"maidstone-trust-huddles": scores(None, None)}})
    (root / "entries" / "maidstone-trust-huddles.md").write_text(entry_text(meta, BODY),
                                                                  "utf-8")
    out = tmp_path_factory.mktemp("packs-out")
    render("packs", root, out)
    return out


def test_the_programme_team_gets_the_key_and_judges_get_references(packs: Path) -> None:
    assert files_under(packs) == {KEY, "j1.html", "j1.pdf", "j2.html", "j2.pdf", "j3.html",
                                  "j3.pdf", "j4.html", "j4.pdf"}
    rows = list(csv.DictReader(io.StringIO((packs / KEY).read_text("utf-8"))))
    assert [list(row) for row in rows] == [["reference", "entry", "category", "title"]] * 2
    by_entry = {row["entry"]: row for row in rows}
    assert set(by_entry) == {"calm", "maidstone-trust-huddles"}
    assert by_entry["calm"]["reference"] == draw("2020", "calm")
    assert by_entry["calm"]["title"] == "Project calm"
    huddles = draw("2020", "maidstone-trust-huddles")
    assert by_entry["maidstone-trust-huddles"]["reference"] == huddles
    for judge in ("j1", "j2"):
        assert huddles in pdf_text(packs / f"{judge}.pdf")  # the same for every judge
        assert huddles in parse_html((packs / f"{judge}.html").read_text("utf-8")).text


def test_a_pack_gives_no_entry_id_e_mail_address_web_address_or_handle(packs: Path) -> None:
    need("pdfinfo")
    page = parse_html((packs / "j1.html").read_text("utf-8"))
    # the visible text, and every attribute (link addresses, anchors) but the page's
    # own Content-Security-Policy
    html = " ".join([page.text, *(value for tag, attrs in page.tags if tag != "meta"
                                  for value in attrs.values())])
    text = pdf_text(packs / "j1.pdf")
    destinations = subprocess.run(["pdfinfo", "-dests", str(packs / "j1.pdf")],
                                  capture_output=True, text=True, check=True).stdout
    for document in (html, text, destinations):
        for value in IDENTIFYING:
            assert value not in document, f"{value!r} is in the pack"
    for document in (page.text, text):
        # link text is kept, the address is not
        for kept in ("our huddle toolkit [link removed]", "audit report [link removed]",
                     "the chart [link removed]", "partner [link removed]",
                     "at [e-mail] or the team on [e-mail]", "write to [e-mail]",
                     "follow [handle] and [name]", "Safety huddles, see [link removed] or "
                     "[e-mail]", "Huddles with [name] ([e-mail]), [handle]."):
            assert kept in " ".join(document.split()), f"{kept!r} is not in the pack"


def test_the_names_to_redact_are_read_once_for_every_pack(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """They come from every entry: read again for each judge's pack, 100 judges' packs of
    10,000 entries read a million entries."""
    read: list[int] = []
    identities = context.identities

    def counted(entries: Iterable[Mapping[str, Any]]) -> dict[str, str]:
        read.append(1)
        return identities(entries)

    monkeypatch.setattr(context, "identities", counted)
    root = tmp_path / "programme"
    write_programme(root, entries={"calm": entry_meta("calm")},
                    sheets={judge: {"calm": scores(None, None)} for judge in ("j1", "j2")})
    render("packs", root, tmp_path / "out")
    assert files_under(tmp_path / "out") >= {"j1.html", "j2.html", "j3.html", "j4.html"}
    assert read == [1]


def test_references_never_break_across_lines(tmp_path: Path) -> None:
    """Category titles of every length put the reference after them at every point
    of a line; a reference with a letter after its hyphen could break there."""
    lengths = range(70, 130, 4)
    entries, reference = {}, {}
    for n in lengths:
        entry_id = next(f"e{n}-{k}" for k in itertools.count()
                        if draw("2020", f"e{n}-{k}")[2].isalpha())
        entries[entry_id] = entry_meta(entry_id, category=f"c{n}")
        reference[entry_id] = draw("2020", entry_id)
    categories = [{"id": f"c{n}", "title": "Category " + "ab " * (n // 3) + "x" * (n % 3),
                   "theme": "safety"} for n in lengths]
    programme = write_programme(tmp_path / "p", categories=categories, entries=entries,
                                sheets={"j1": {e: scores(None, None) for e in entries}})
    out = tmp_path / "out"
    render("packs", programme, out)
    text = pdf_text(out / "j1.pdf")  # a line broken after "E-" would read "E- X..." or "EX..."
    for ref in reference.values():
        # in the contents, the entry's heading and its score boxes
        assert text.count(ref) == 3, f"{ref} is broken across lines: {text}"
