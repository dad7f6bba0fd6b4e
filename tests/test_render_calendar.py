"""`qsi render calendar`: the timeline as an iCalendar file (RFC 5545), read back with
the icalendar parser, and its bytes checked by hand as a second, independent reader
(CRLF line ends, lines folded at 75 octets without splitting a character, text escaped).

Bugs caught: an event that is not all-day (a DATE-TIME start, so it lands at midnight
in one time zone and the day before in another), a DTEND on the same day (an empty
event to some calendars), UIDs that change between runs or when a milestone is moved
(so a re-import duplicates every event), a DTSTAMP taken from the clock (so every run
differs), a title whose comma or semicolon is not escaped, and folding that cuts a
UTF-8 character in two.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import yaml

from builder import write_programme
from render_support import REPO, qsi, render

TIMELINE = [  # the example programme's, by hand: title, first day, last day
    ("Start marketing awards", dt.date(2019, 1, 1), dt.date(2020, 1, 31)),  # a phase
    ("Convene steering group", dt.date(2019, 12, 1), None),
    ("Deadline for award submissions", dt.date(2020, 2, 1), None),
    ("Judges' shortlisting scores due", dt.date(2020, 2, 21), None),
    ("Steering group confirms the shortlist", dt.date(2020, 2, 24), None),
    ("Review awards and agree winners / highly commended", dt.date(2020, 3, 1), None),
    ("Hold award ceremony and announce winners", dt.date(2020, 4, 1), None),
    ("Support spread and adoption", dt.date(2020, 5, 1), dt.date(2020, 12, 31)),
    # the rounds: shortlisting is open from the day after entries close to 21 February,
    # the final from 24 February to the review meeting on 1 March
    ("judging round: Shortlisting on the rubric", dt.date(2020, 2, 2), dt.date(2020, 2, 21)),
    ("judging round: Final panel ranks the finalists", dt.date(2020, 2, 24),
     dt.date(2020, 3, 1)),
]
NAME = "Kent & Medway Quality, Safety & Improvement Awards 2020"


def events(path: Path) -> list[icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def unfolded(path: Path) -> list[str]:
    """The content lines, read by hand: every line ends with CRLF, none is over 75
    octets, each physical line is whole UTF-8, and a continuation starts with a space."""
    data = path.read_bytes()
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    for line in physical:
        assert b"\r" not in line and b"\n" not in line, line
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    lines: list[str] = []
    for line in physical:
        if line.startswith(b" "):
            lines[-1] += line[1:].decode("utf-8")
        else:
            lines.append(line.decode("utf-8"))
    return lines


def test_the_example_timeline_as_all_day_events(tmp_path: Path) -> None:
    run = render("calendar", REPO, tmp_path)
    assert "calendar.ics" in run.stdout
    found = events(tmp_path / "calendar.ics")
    # DTEND is the day after the last day (RFC 5545's end of an all-day event)
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART"), e.decoded("DTEND")) for e in found] == [
        (f"{NAME}: {title}", day, (last or day) + dt.timedelta(days=1))
        for title, day, last in TIMELINE]
    for item in found:
        start, end = item.decoded("DTSTART"), item.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date  # all day: no time
        assert item.decoded("DTSTAMP") == dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
    assert len({str(e["UID"]) for e in found}) == len(TIMELINE)
    deadline = found[2]
    assert str(deadline["DESCRIPTION"]) == "The last day to send an entry."
    lines = unfolded(tmp_path / "calendar.ics")
    assert "DTSTART;VALUE=DATE:20200201" in lines
    assert "DTEND;VALUE=DATE:20200202" in lines
    assert str(found[0]["DESCRIPTION"]) == "Led by Communications lead."  # a phase's owner
    assert ("SUMMARY:Kent & Medway Quality\\, Safety & Improvement Awards 2020: Deadline "
            "for award submissions") in lines


def test_the_same_bytes_every_run_and_uids_that_survive_a_change(tmp_path: Path) -> None:
    render("calendar", REPO, tmp_path / "a")
    render("calendar", REPO, tmp_path / "b")
    first = (tmp_path / "a" / "calendar.ics").read_bytes()
    assert first == (tmp_path / "b" / "calendar.ics").read_bytes()

    programme = tmp_path / "programme"
    shutil.copytree(REPO / "entries", programme / "entries")
    for name in ("programme.yaml", "categories.yaml", "judges.yaml"):
        shutil.copyfile(REPO / name, programme / name)
    settings = yaml.safe_load((REPO / "programme.yaml").read_text("utf-8"))
    settings["timeline"][2].update(title="Entries close", date=dt.date(2020, 2, 15))
    (programme / "programme.yaml").write_text(yaml.safe_dump(settings), "utf-8")
    render("calendar", programme, tmp_path / "c")
    before = {str(e["UID"]): e for e in events(tmp_path / "a" / "calendar.ics")}
    after = {str(e["UID"]): e for e in events(tmp_path / "c" / "calendar.ics")}
    assert set(before) == set(after)  # the moved deadline is the same event, updated
    moved = [uid for uid in after if after[uid].decoded("DTSTART") == dt.date(2020, 2, 15)]
    assert len(moved) == 1
    assert str(before[moved[0]]["SUMMARY"]).endswith("Deadline for award submissions")
    assert str(after[moved[0]]["SUMMARY"]).endswith("Entries close")


def test_text_is_escaped_and_folded(tmp_path: Path) -> None:
    name = "Awards; with, commas \\ and a backslash — and a long name to fold: Ærø Ünïcode"
    title = "Judges meet, then agree; winners — “quoted” — and more words to fold é" * 2
    write_programme(tmp_path / "p", extra_settings={
        "name": name, "timeline": [
            {"id": "meet", "title": title, "date": "2020-02-01"},
            {"id": "ceremony", "title": "Ceremony", "date": "2020-04-01", "kind": "ceremony"}]})
    render("calendar", tmp_path / "p", tmp_path / "out")
    path = tmp_path / "out" / "calendar.ics"
    found = events(path)
    assert str(found[0]["SUMMARY"]) == f"{name} 2020: {title}"
    escaped = (name.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
               + " 2020: " + title.replace(";", "\\;").replace(",", "\\,"))
    assert "SUMMARY:" + escaped in unfolded(path)
    assert any(len(line.encode()) > 75 for line in unfolded(path))  # it did fold


def test_out_is_a_folder_not_the_file(tmp_path: Path) -> None:
    run = qsi("render", "calendar", "-p", REPO, "--out", tmp_path / "timeline.ics")
    assert run.exit_code == 2
    assert "folder" in run.output and "calendar.ics" in run.output
    assert not (tmp_path / "timeline.ics").exists()


def test_judging_rounds_span_their_days(tmp_path: Path) -> None:
    """A round is one event from the day it opens (by default the day after the round
    before closes) to the day it closes: DTEND is the day after, as RFC 5545 has it."""
    rounds = [
        {"id": "shortlisting", "title": "Shortlisting", "method": "rubric",
         "closes": "2020-02-15"},
        {"id": "final", "title": "Final panel", "method": "rubric", "closes": "2020-03-01"}]
    programme = write_programme(tmp_path / "p", extra_settings={"rounds": rounds})
    render("calendar", programme, tmp_path / "out")
    found = {str(e["SUMMARY"]): e for e in events(tmp_path / "out" / "calendar.ics")}
    final = found["Test Awards 2020: judging round: Final panel"]
    assert (final.decoded("DTSTART"), final.decoded("DTEND")) == (
        dt.date(2020, 2, 16), dt.date(2020, 3, 2))
    assert "by the end of 1 March 2020" in str(final["DESCRIPTION"])
    # open from the start: for the judges, from the day after entries close (1 February)
    # to its close on 15 February
    first = found["Test Awards 2020: judging round: Shortlisting"]
    assert (first.decoded("DTSTART"), first.decoded("DTEND")) == (
        dt.date(2020, 2, 2), dt.date(2020, 2, 16))
    assert len(found) == 4  # the deadline, the ceremony and the two rounds
    assert len({str(e["UID"]) for e in found.values()}) == 4
