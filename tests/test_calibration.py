"""Calibration (`qsi calibration`, judging/calibration.py): Krippendorff's alpha against
the published worked example and the `krippendorff` package (a test-only oracle), and
each judge's offset, interval, spread and correlation worked out by hand."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import entry_meta, scores, write_programme
from conftest import REPO, run_cli
from qsi_awards.judging.calibration import Level, alpha, pearson, t95

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 observers, 12
# units, * missing.
OBSERVERS = {"A": "1 2 3 3 2 1 4 1 2 * * *",
             "B": "1 2 3 3 2 2 4 1 2 5 * 3",
             "C": "* 3 3 3 2 3 4 2 2 5 1 *",
             "D": "1 2 3 3 2 4 4 1 2 5 1 *"}
UNITS = [[int(v) for v in unit if v != "*"]
         for unit in zip(*(row.split() for row in OBSERVERS.values()), strict=True)]


@pytest.mark.parametrize(("level", "published"), [
    ("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorffs_worked_example(level: Level, published: float) -> None:
    value = alpha(UNITS, level)
    assert value is not None
    assert round(float(value), 3) == published


def test_alpha_by_hand() -> None:
    """Two observers, units (1, 2) and (3, 3): values 1, 2, 3, 3, n = 4. Interval:
    D_o = (1/4)(2·1²/1 + 0) = 1/2; D_e = Σ over ordered pairs of different values of
    δ² / (n(n−1)): (1,2) 1, (1,3) 4 twice, (2,3) 1 twice, each both ways: 2·(1 + 8 + 2)
    / 12 = 22/12; alpha = 1 − (1/2)/(11/6) = 8/11."""
    assert alpha([[1, 2], [3, 3]]) == Fraction(8, 11)
    assert alpha([[5, 5], [5, 5]]) is None  # no variation: nothing to agree about
    assert alpha([[5], [4]]) is None  # no unit with two values


@st.composite
def reliability(draw: st.DrawFn) -> list[list[float]]:
    """Observers × units with missing values (nan), at least one pairable unit."""
    observers, units = draw(st.integers(2, 5)), draw(st.integers(2, 8))
    rows = [[draw(st.one_of(st.integers(0, 6).map(float), st.just(math.nan)))
             for _ in range(units)] for _ in range(observers)]
    return rows


@settings(max_examples=200, deadline=None)
@given(reliability(), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_agrees_with_the_krippendorff_package(rows: list[list[float]],
                                                    level: Level) -> None:
    units = [[int(v) for v in unit if not math.isnan(v)] for unit in zip(*rows, strict=True)]
    ours = alpha(units, level)
    pairable = [v for unit in units if len(unit) >= 2 for v in unit]
    if len(set(pairable)) < 2:
        assert ours is None
        return
    assert ours is not None
    theirs = krippendorff.alpha(np.array(rows), level_of_measurement=level)
    assert math.isclose(float(ours), theirs, rel_tol=1e-9, abs_tol=1e-9)


def test_pearson_and_t() -> None:
    assert pearson([(Fraction(1), Fraction(2)), (Fraction(2), Fraction(4)),
                    (Fraction(3), Fraction(6))]) == pytest.approx(1.0)
    assert pearson([(Fraction(1), Fraction(1)), (Fraction(2), Fraction(1)),
                    (Fraction(3), Fraction(1))]) is None
    assert t95(2) == 4.303 and t95(35) == 2.042 and t95(1000) == 1.980


def lenient_programme(tmp_path: Path) -> Path:
    """j1 scores every entry 2 above j2 (S = score, both criteria equal); j3 joins on e1
    and e2 with j2's scores; e4 has judges 3 apart."""
    entries = {e: entry_meta(e) for e in ("e1", "e2", "e3", "e4")}
    sheets = {"j1": {"e1": scores(7, 7), "e2": scores(8, 8), "e3": scores(6, 6),
                     "e4": scores(9, 9)},
              "j2": {"e1": scores(5, 5), "e2": scores(6, 6), "e3": scores(4, 4),
                     "e4": scores(6, 6)},
              "j3": {"e1": scores(5, 5), "e2": scores(6, 6)}}
    return write_programme(tmp_path, entries=entries, sheets=sheets,
                           judging={"disagreement": 2.5})


def test_calibration_by_hand(tmp_path: Path) -> None:
    """Offsets, each S minus the mean of the others on that entry:
    j1: e1 7 − 5 = 2, e2 8 − 6 = 2, e3 6 − 4 = 2, e4 9 − 6 = 3: mean 9/4 = 2.25;
        s² = (3·0.25² + 0.75²) / 3 = 0.25, s = 0.5; t(3) = 3.182; half = 3.182 · 0.5 / 2
        = 0.7955: interval 1.45 to 3.05, above 0: lenient.
    j2: e1 5 − 6 = −1 (others j1 7, j3 5), e2 6 − 7 = −1, e3 −2, e4 −3: mean −7/4.
    j3: e1 5 − 6 = −1, e2 6 − 7 = −1: mean −1, s = 0, interval −1 to −1: harsh.
    Spread of j1's S (7, 8, 6, 9): mean 7.5, population variance 1.25 -> 1.12.
    Alpha (interval) over S: units (7, 5, 5), (8, 6, 6), (6, 4), (9, 6).
    Moderation (disagreement 2.5): e4, 9 against 6, spread 3."""
    result = run_cli(["calibration", "-p", lenient_programme(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    judges = {j["judge"]: j for j in document["judges"]}
    assert judges["j1"] == {"judge": "j1", "judgements": 4, "shared": 4, "offset": 2.25,
                            "interval": [1.45, 3.05], "spread": 1.12,
                            "correlation": judges["j1"]["correlation"], "flag": "lenient"}
    assert judges["j2"]["offset"] == -1.75
    assert (judges["j3"]["offset"], judges["j3"]["interval"], judges["j3"]["flag"]) == (
        -1.0, [-1.0, -1.0], "harsh")
    assert judges["j3"]["correlation"] is None  # two shared entries: too few for r
    expected = alpha([[7, 5, 5], [8, 6, 6], [6, 4], [9, 6]])
    assert expected is not None
    assert document["agreement"]["overall"] == round(float(expected), 3)
    assert document["agreement"]["ambition"] == document["agreement"]["overall"]
    assert [m["entry"] for m in document["moderation"]] == ["e4"]
    assert document["moderation"][0]["spread"] == 3.0
    assert [(s["judge"], s["score"]) for s in document["moderation"][0]["scores"]] == [
        ("j1", 9.0), ("j2", 6.0)]


def test_calibration_text_and_markdown(tmp_path: Path) -> None:
    root = lenient_programme(tmp_path)
    text = run_cli(["calibration", "-p", root]).stdout
    assert "lenient: scores above the co-judges" in text
    assert "e4 (cat-a): spread 3.00" in text
    markdown = run_cli(["calibration", "-p", root, "--format", "markdown"]).stdout
    assert "| j1 | 9.00 | 9 | 9 |" in markdown


def test_calibration_of_a_ranked_round_is_refused(tmp_path: Path) -> None:
    root = lenient_programme(tmp_path)
    settings_text = (root / "programme.yaml").read_text("utf-8")
    (root / "programme.yaml").write_text(settings_text + (
        "rounds:\n  - {id: first, title: First, method: rubric, closes: 2020-02-10}\n"
        "  - {id: final, title: Final, method: ranked, closes: 2020-02-20}\n"), "utf-8")
    result = run_cli(["calibration", "-p", root, "--round", "final"])
    assert result.exit_code == 2
    assert "is ranked" in result.stderr
    assert run_cli(["calibration", "-p", root, "--round", "first"]).exit_code == 0


def test_after_the_final_opens_calibration_is_of_the_round_judges_scored() -> None:
    """The example's current round is its ranked final (nothing to calibrate): without
    --round, calibration reports the shortlisting round before it, where the judges
    scored; asked for the final by name, it still refuses. Bug caught: `qsi calibration`
    on the example exited 2."""
    result = run_cli(["calibration", "-p", REPO, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["round"] == "shortlisting"
    assert result.stdout == run_cli(["calibration", "-p", REPO, "--round", "shortlisting",
                                     "--format", "json"]).stdout
    assert run_cli(["calibration", "-p", REPO, "--round", "final"]).exit_code == 2
