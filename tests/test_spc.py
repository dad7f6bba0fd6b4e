"""Statistical process control as NHS England's "Making Data Count" defines it
(judging/spc.py), through `qsi spc FILE`: MDC's published worked data, hand-made series
for the rules the vectors do not reach, and hypothesis properties (shifting or scaling
the data moves the limits with it and never changes a flag)."""

from __future__ import annotations

import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from qsi_awards.judging.spc import Options, analyse

SVG = "{http://www.w3.org/2000/svg}"

# MDC's published worked data (the issue lists them with their expected results)
STABLE = [20, 24, 20, 26, 22, 16, 18, 16, 31, 28, 34, 26, 30, 19, 18]
SHIFTS = [31, 22, 19, 21, 18, 18, 22, 22, 29, 25, 23, 26, 31, 26, 28, 29, 32, 24, 31, 22]
TRENDS = [11, 14, 18, 20, 22, 23, 18, 21, 17, 23, 26, 20, 16, 25, 23, 22, 19, 16, 15, 12]
NO_TREND = [23, 30, 28, 25, 25, 20, 18, 24, 16, 13, 14, 18, 18, 24, 26, 29, 19, 20, 28, 16]


def spc(tmp_path: Path, lines: Sequence[object], *options: str,
        name: str = "data.txt") -> Any:
    """`qsi spc` on a file of these lines, as JSON."""
    data = tmp_path / name
    data.write_text("".join(f"{line}\n" for line in lines), "utf-8")
    result = run_cli(["spc", data, "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def flagged(document: Any, rule: str | None = None) -> list[int]:
    """The 1-based numbers of the points flagged (by `rule`, or by any rule)."""
    points = [p for phase in document["phases"] for p in phase["points"]]
    return [n for n, p in enumerate(points, start=1)
            if (rule in p["rules"] if rule else p["rules"])]


def test_the_stable_vector_has_the_published_limits_and_no_signal(tmp_path: Path) -> None:
    document = spc(tmp_path, STABLE)
    [phase] = document["phases"]
    # by hand: the 15 values sum to 348, so the mean is 23.2; the 14 moving ranges
    # (4 4 6 4 6 2 2 15 3 6 8 4 11 1) sum to 76, MR-bar = 76/14, 2.66 x 76/14 = 14.44
    assert phase["kind"] == "xmr"
    assert phase["mean"] == pytest.approx(23.20)
    assert phase["mr_bar"] == pytest.approx(76 / 14)
    assert phase["upper"] == pytest.approx(37.64)
    assert phase["lower"] == pytest.approx(8.76)
    assert phase["upper_2s"] == pytest.approx(23.2 + 14.44 * 2 / 3)  # 32.8267
    assert phase["lower_2s"] == pytest.approx(23.2 - 14.44 * 2 / 3)  # 13.5733
    assert flagged(document) == []
    assert {p["signal"] for p in phase["points"]} == {"common"}
    assert document["variation"] == "common-cause"
    assert document["assurance"] is None


@pytest.mark.parametrize(("length", "expected"), [
    ("6", [*range(2, 9), *range(12, 18)]),  # points 2-8 below the mean, 12-17 above
    ("7", list(range(2, 9))),
])
def test_shifts_of_the_published_vector(tmp_path: Path, length: str, expected: list[int]) -> None:
    document = spc(tmp_path, SHIFTS, "--shift", length)
    assert document["phases"][0]["mean"] == pytest.approx(24.95)  # 499 / 20
    assert flagged(document, "shift") == expected
    assert flagged(document) == expected  # and no other rule


@pytest.mark.parametrize(("length", "expected"), [
    ("6", [*range(1, 7), *range(14, 21)]),  # points 1-6 rising, 14-20 falling
    ("7", list(range(14, 21))),
])
def test_trends_of_the_published_vector(tmp_path: Path, length: str, expected: list[int]) -> None:
    document = spc(tmp_path, TRENDS, "--trend", length)
    assert flagged(document, "trend") == expected
    assert flagged(document) == expected


def test_an_equal_value_breaks_a_trend(tmp_path: Path) -> None:
    """30 28 25 25 20 18 falls but for the repeated 25: no trend (nor anything else)."""
    assert flagged(spc(tmp_path, NO_TREND)) == []


def test_trends_are_classed_by_their_direction(tmp_path: Path) -> None:
    """Points 14-20 fall: improvement where lower is better, concern where higher is."""
    for improvement, falling in (("lower", "improvement"), ("higher", "concern")):
        points = spc(tmp_path, TRENDS, "--improvement", improvement)["phases"][0]["points"]
        assert {points[n - 1]["signal"] for n in range(14, 21)} == {falling}
        assert {points[n - 1]["signal"] for n in range(1, 7)} == (
            {"concern"} if falling == "improvement" else {"improvement"})
    neither = spc(tmp_path, TRENDS)["phases"][0]["points"]
    assert {neither[n - 1]["signal"] for n in range(14, 21)} == {"neither"}


# 20 points alternating 10, 11, then three more: by hand, for the last three 13.5 16 12
# the sum is 210 + 41.5 = 251.5 and the mean 251.5 / 23 = 10.935; the 22 moving ranges
# are 19 ones, then 2.5, 2.5 and 4: 28 in all, MR-bar 28 / 22 = 1.2727. The upper 2σ
# line is 10.935 + 1.7733 x 1.2727 = 13.192, the upper process limit 10.935 + 2.66 x
# 1.2727 = 14.320: 13.5 is near the limit, 16 beyond it, and 11 13.5 16 12 are all above
# the mean.
NEAR_AND_BEYOND = [10, 11] * 10 + [13.5, 16, 12]


def test_two_of_three_leaves_out_points_beyond_the_limit(tmp_path: Path) -> None:
    document = spc(tmp_path, NEAR_AND_BEYOND, "--improvement", "higher")
    phase = document["phases"][0]
    assert phase["upper_2s"] == pytest.approx(13.192, abs=1e-3)
    assert phase["upper"] == pytest.approx(14.320, abs=1e-3)
    assert flagged(document, "beyond-limit") == [22]
    assert flagged(document, "two-of-three") == []  # only 13.5 is near (MDC v5)
    counted = spc(tmp_path, NEAR_AND_BEYOND, "--improvement", "higher", "--count-beyond-limits")
    assert flagged(counted, "two-of-three") == [21, 22]
    assert [p["signal"] for p in counted["phases"][0]["points"][20:22]] == [
        "improvement", "improvement"]


# 14 points: by hand, 10 11 10 11 10 11 10 11 10 11 10 then 13 12 13 sum to 153 (mean
# 10.929); the moving ranges are ten ones, then 3, 1 and 1: MR-bar 15 / 13 = 1.1538.
# The upper 2σ line is 10.929 + 1.7733 x 1.1538 = 12.975 and the limit 13.998, so both
# 13s are near the limit, in three points all above the mean, and 12 is not.
TWO_OF_THREE = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 13, 12, 13]


def test_two_of_three_flags_the_points_near_the_limit(tmp_path: Path) -> None:
    document = spc(tmp_path, TWO_OF_THREE, "--improvement", "lower")
    assert document["phases"][0]["upper_2s"] == pytest.approx(12.975, abs=1e-3)
    assert flagged(document) == [12, 14]
    assert flagged(document, "two-of-three") == [12, 14]
    assert document["phases"][0]["points"][11]["signal"] == "concern"
    assert document["variation"] == "concern-high"


def test_screening_leaves_out_the_big_moving_ranges(tmp_path: Path) -> None:
    """By hand: 14 points of 10 and 11 alternating with one 30 at point 7. The moving
    ranges are 1 1 1 1 1 19 19 1 1 1 1 1 1: 49 in all, MR-bar 49/13 = 3.769. Screened,
    the 19s are 3.267 x 3.769 = 12.31 or more and go: 11 ranges of 1, MR-bar 1."""
    values = [10, 11, 10, 11, 10, 11, 30, 11, 10, 11, 10, 11, 10, 11]
    assert spc(tmp_path, values)["phases"][0]["mr_bar"] == pytest.approx(49 / 13)
    screened = spc(tmp_path, values, "--screen")["phases"][0]
    assert screened["mr_bar"] == pytest.approx(1.0)
    mean = sum(values) / 14  # 167 / 14 = 11.93
    assert screened["upper"] == pytest.approx(mean + 2.66)


def test_a_short_series_is_a_run_chart_on_the_median(tmp_path: Path) -> None:
    """12 points: the median of 1 1 1 2 2 2 8 8 8 9 9 9 (sorted) is (2 + 8) / 2 = 5; the
    first six are below it and the last six above: two shifts of six."""
    document = spc(tmp_path, [1, 2, 1, 2, 1, 2, 9, 8, 9, 8, 9, 8], "--improvement", "higher")
    [phase] = document["phases"]
    assert phase["kind"] == "run"
    assert phase["median"] == 5
    assert "mean" not in phase and "upper" not in phase
    assert flagged(document, "shift") == list(range(1, 13))
    assert [p["signal"] for p in phase["points"][:6]] == ["concern"] * 6
    assert document["assurance"] is None  # no limits, no assurance


def test_a_run_chart_trend_ignores_equal_values(tmp_path: Path) -> None:
    """1 2 2 3 4 5 counts 1 2 3 4 5 (the second 2 is ignored): a trend of five, where an
    XmR chart's equal value would end it. The median of the 12 is 3; no six points are
    on one side of it."""
    values = [1, 2, 2, 3, 4, 5, 3, 3, 9, 2, 8, 1]
    document = spc(tmp_path, values, "--improvement", "higher")
    assert document["phases"][0]["median"] == 3
    assert flagged(document) == [1, 2, 4, 5, 6]
    assert flagged(document, "trend") == [1, 2, 4, 5, 6]


def test_recalculation_points_start_phases(tmp_path: Path) -> None:
    """Two phases, each with its own limits: 13 points of 10 and 11, then 13 of 20 and
    21 (means 10.46 and 20.46 by hand: 136/13 and 266/13)."""
    rows = ["period,value"]
    values = [10, 11] * 6 + [10] + [20, 21] * 6 + [20]
    months = [f"{2018 + (n // 12)}-{n % 12 + 1:02d}" for n in range(26)]
    rows += [f"{month},{value}" for month, value in zip(months, values, strict=True)]
    document = spc(tmp_path, rows, "--recalculate-at", "2019-02", name="data.csv")
    first, second = document["phases"]
    assert first["mean"] == pytest.approx(136 / 13)
    assert second["mean"] == pytest.approx(266 / 13)
    assert second["points"][0]["period"] == "2019-02"
    assert flagged(document) == []
    one = spc(tmp_path, rows, name="data.csv")  # one phase: 13 below the mean, 13 above
    assert flagged(one, "shift") == list(range(1, 27))


@pytest.mark.parametrize(("target", "improvement", "assurance"), [
    ("40", "higher", "consistent-fail"),  # above the upper limit 37.64
    ("40", "lower", "consistent-pass"),
    ("5", "higher", "consistent-pass"),  # below the lower limit 8.76
    ("5", "lower", "consistent-fail"),
    ("30", "higher", "inconsistent"),
    ("37.64", "higher", "inconsistent"),  # on the limit: not beyond it
])
def test_the_assurance_icon_compares_the_target_with_the_limits(
        tmp_path: Path, target: str, improvement: str, assurance: str) -> None:
    document = spc(tmp_path, STABLE, "--target", target, "--improvement", improvement)
    assert document["assurance"] == assurance
    assert document["target"] == float(target)


def test_no_assurance_without_a_direction(tmp_path: Path) -> None:
    assert spc(tmp_path, STABLE, "--target", "30")["assurance"] is None


# Properties -------------------------------------------------------------------------


def series(values: list[int]) -> list[tuple[str, float]]:
    return [(str(n), float(v)) for n, v in enumerate(values, start=1)]


def flags(values: list[int], improvement: Any,
          options: Options) -> list[tuple[str, tuple[str, ...]]]:
    analysis = analyse(series(values), improvement, options=options)
    return [(p.signal, p.rules) for p in analysis.points]


VALUES = st.lists(st.integers(-1000, 1000), min_size=1, max_size=60)
OPTIONS = st.builds(Options, shift=st.integers(5, 8), trend=st.integers(5, 8),
                    screen=st.booleans(), beyond_counts=st.booleans())


@settings(max_examples=150, deadline=None)
@given(VALUES, st.integers(-10**6, 10**6), OPTIONS)
def test_shifting_the_data_moves_the_limits_and_keeps_every_flag(
        values: list[int], shift: int, options: Options) -> None:
    before = analyse(series(values), "higher", options=options)
    after = analyse(series([v + shift for v in values]), "higher", options=options)
    assert [(p.signal, p.rules) for p in after.points] == [
        (p.signal, p.rules) for p in before.points]
    for old, new in zip(before.phases, after.phases, strict=True):
        if old.exact_limits is None:
            assert new.exact_limits is None
            assert new.median == pytest.approx(old.median + shift)  # type: ignore[operator]
        else:
            assert new.exact_limits == tuple(limit + shift for limit in old.exact_limits)
    assert after.variation == before.variation


@settings(max_examples=150, deadline=None)
@given(VALUES, st.integers(1, 1000), OPTIONS)
def test_scaling_the_data_scales_the_limits_and_keeps_every_flag(
        values: list[int], factor: int, options: Options) -> None:
    before = analyse(series(values), "lower", options=options)
    after = analyse(series([v * factor for v in values]), "lower", options=options)
    assert [(p.signal, p.rules) for p in after.points] == [
        (p.signal, p.rules) for p in before.points]
    for old, new in zip(before.phases, after.phases, strict=True):
        if old.exact_limits is not None:
            assert new.exact_limits == tuple(limit * factor for limit in old.exact_limits)


@settings(max_examples=100, deadline=None)
@given(VALUES, OPTIONS)
def test_turning_the_data_upside_down_swaps_the_direction_and_keeps_every_signal(
        values: list[int], options: Options) -> None:
    """Negated data where lower is better reads exactly as the data where higher is."""
    assert flags([-v for v in values], "lower", options) == flags(values, "higher", options)


@settings(max_examples=100, deadline=None)
@given(VALUES)
def test_limits_are_mdc_s_formula_over_each_phase(values: list[int]) -> None:
    """For 13 or more points: mean ± 2.66 × the mean moving range, by the definition."""
    analysis = analyse(series(values))
    [phase] = analysis.phases
    if len(values) < 13:
        assert phase.exact_limits is None and phase.median is not None
        return
    mean = Fraction(sum(values), len(values))
    mr_bar = Fraction(sum(abs(b - a) for a, b in itertools.pairwise(values)),
                      len(values) - 1)
    assert phase.exact_limits == (mean - Fraction(266, 100) * mr_bar,
                                  mean + Fraction(266, 100) * mr_bar)


# qsi spc, the command ------------------------------------------------------------------


def test_text_summary(tmp_path: Path) -> None:
    data = tmp_path / "falls.txt"
    data.write_text("".join(f"{v}\n" for v in TRENDS), "utf-8")
    result = run_cli(["spc", data, "--improvement", "lower", "--title", "Falls"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Falls"
    assert "The mean is 19.05" in lines[1]  # 381 / 20
    assert "7 points show special cause improvement (trend)" in lines[1]
    assert lines[2] == "Special cause points:"
    assert len(lines) == 3 + 13
    assert lines[-1].split() == ["20", "12", "improvement:", "trend"]


def test_svg_chart_is_accessible_and_deterministic(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    months = [f"2019-{n:02d}" for n in range(1, 13)] + [f"2020-{n:02d}" for n in range(1, 9)]
    data.write_text("period,value\n" + "".join(
        f"{m},{v}\n" for m, v in zip(months, TRENDS, strict=True)), "utf-8")
    args: list[str | Path] = [
        "spc", data, "--format", "svg", "--improvement", "lower", "--target", "15",
        "--title", "Falls <on> the ward", "--unit", "falls per 1,000 bed days"]
    first, second = run_cli(args), run_cli(args)
    assert first.exit_code == 0 and first.stdout == second.stdout
    root = ET.fromstring(first.stdout)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Falls <on> the ward"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"  # type: ignore[union-attr]
    assert desc is not None and "XmR chart of 20 monthly points" in str(desc.text)
    circles = [c for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title") is not None]
    assert len(circles) == 20
    tips = [str(c.find(f"{SVG}title").text) for c in circles]  # type: ignore[union-attr]
    assert tips[0] == "Jan 2019: 11 falls per 1,000 bed days; special cause concern (trend)"
    assert tips[6] == "Jul 2019: 18 falls per 1,000 bed days; common cause"
    fills = [c.get("fill") for c in circles]
    assert fills[:6] == ["#E46C0A"] * 6 and fills[13:] == ["#00B0F0"] * 7
    assert set(fills[6:13]) == {"#A6A6A6"}


def test_svg_to_a_file(tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("".join(f"{v}\n" for v in STABLE), "utf-8")
    out = tmp_path / "chart.svg"
    assert run_cli(["spc", data, "--format", "svg", "--out", out]).exit_code == 0
    assert out.read_text("utf-8").startswith("<svg ")
    same = run_cli(["spc", data, "--format", "svg", "--out", data])
    assert same.exit_code == 2 and "data file itself" in same.stderr
    assert data.read_text("utf-8").startswith("20\n")


def test_bad_data_is_a_finding_at_its_line(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("period,value\n2019-01,4\n2019-02,four\n2019-02,5\n2019-13,6\n"
                    "2019-05,1,200\n", "utf-8")
    result = run_cli(["spc", data])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{data}:3:9: bad-number The value 'four' is not a number")
    assert lines[1].startswith(f"{data}:4:1: period-order '2019-02' is there twice")
    assert lines[2].startswith(f"{data}:5:1: bad-period '2019-13' is not a period")
    assert lines[3].startswith(f"{data}:6:1: bad-csv Line 6 has 3 cells")
    assert "thousands separator" in lines[3]


@pytest.mark.parametrize(("content", "message"), [
    ("month,falls\n2019-01,3\n", "should be the header 'period,value'"),
    ("", "holds no values"),
    ("1\n2\n1e3\n", "txt:3:1: bad-number The value is written 1e3; write 1000, in plain digits"),
    ("value\n1\n.nan\n", "bad-number The value is written .nan"),
])
def test_bad_files(tmp_path: Path, content: str, message: str) -> None:
    data = tmp_path / "data.txt"
    data.write_text(content, "utf-8")
    result = run_cli(["spc", data])
    assert result.exit_code == 1
    assert message in result.stderr


def test_cannot_run(tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("".join(f"{v}\n" for v in STABLE), "utf-8")
    missing = run_cli(["spc", tmp_path / "nope.csv"])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    for args, why in ((["--recalculate-at", "16"], "not one of the series' periods"),
                      (["--recalculate-at", "1"], "after the first"),
                      (["--target", "nan"], "ordinary number"),
                      (["--shift", "1"], "--shift")):
        result = run_cli(["spc", data, *args])
        assert result.exit_code == 2, args
        assert why in result.output, (args, result.output)
    big = tmp_path / "big.txt"
    big.write_text("1\n" * 1001, "utf-8")
    too_many = run_cli(["spc", big])
    assert too_many.exit_code == 1 and "1,001 points" in too_many.stderr
