"""`qsi calibration`'s reporters: text, JSON, Markdown and an Excel workbook (`tables`).
Deterministic."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from ..controls import escaped
from ..judging.calibration import Calibration, JudgeCalibration
from ..judging.tally import round2
from ..render.text import md_escape
from . import Reporter, json_text, writing
from .tables import Cell, Table, workbook


def _places(value: Fraction | float | None, digits: int) -> float | None:
    if value is None:
        return None
    exact = (Decimal(value.numerator) / Decimal(value.denominator)
             if isinstance(value, Fraction) else Decimal(value))
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def _judge(j: JudgeCalibration) -> dict[str, Any]:
    return {"judge": j.judge, "judgements": j.judgements, "shared": j.shared,
            "offset": _places(j.offset, 2),
            "interval": None if j.interval is None else [_places(v, 2) for v in j.interval],
            "spread": _places(j.spread, 2), "correlation": _places(j.correlation, 3),
            "flag": j.flag}


def as_dict(result: Calibration) -> dict[str, Any]:
    return {
        "round": result.round,
        "criteria": list(result.criteria),
        "judges": [_judge(j) for j in result.judges],
        "agreement": {name: _places(value, 3) for name, value in result.agreement.items()},
        "disagreement": result.disagreement,
        "moderation": [{
            "entry": m.entry, "category": m.category, "spread": round2(m.spread),
            "scores": [{"judge": j.judge, "score": round2(j.score),
                        "criteria": dict(j.scores)}
                       for j in m.judgements]} for m in result.moderation],
    }


def to_json(result: Calibration) -> str:
    return json_text(as_dict(result))


def _num(value: float | None, digits: int = 2, sign: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


FLAG_WORDS = {"lenient": "lenient: scores above the co-judges",
              "harsh": "harsh: scores below the co-judges", None: ""}


def _judge_rows(result: Calibration) -> list[list[str]]:
    rows = []
    for j in result.judges:
        d = _judge(j)
        interval = "—" if d["interval"] is None else (
            f"{_num(d['interval'][0], sign=True)} to {_num(d['interval'][1], sign=True)}")
        rows.append([j.judge, str(j.judgements), _num(d["offset"], sign=True), interval,
                     _num(d["spread"]), _num(d["correlation"], 3), FLAG_WORDS[j.flag]])
    return rows


HEADINGS = ["Judge", "Judgements", "Offset", "95% interval", "Spread", "r with panel", "Flag"]


def _agreement_lines(result: Calibration) -> list[str]:
    return [f"{name}: {_num(_places(value, 3), 3)}" for name, value in result.agreement.items()]


def _moderation_lines(result: Calibration) -> list[str]:
    lines = []
    for m in result.moderation:
        lines.append(f"{m.entry} ({m.category}): spread {round2(m.spread):.2f}")
        for j in m.judgements:
            parts = ", ".join(f"{c} {score}" for c, score in j.scores.items())
            lines.append(f"    {j.judge}: S {round2(j.score):.2f} ({parts})")
    return lines


def to_text(result: Calibration) -> str:
    lines = [f"Calibration of the round {result.round}",
             "Offset: a judge's score minus the mean of their co-judges on the same entry, "
             "averaged (above 0 lenient, below harsh); flagged when the 95% interval excludes 0.",
             ""]
    rows = [HEADINGS, *_judge_rows(result)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADINGS))]
    lines += ["  ".join(cell.rjust(width) if 0 < i < 6 else cell.ljust(width)
                        for i, (cell, width) in enumerate(zip(row, widths, strict=True))).rstrip()
              for row in rows]
    lines += ["", "Agreement (Krippendorff's alpha, interval metric; 1 is perfect, 0 is chance):"]
    lines += ["  " + line for line in _agreement_lines(result)]
    lines += ["", "Moderation: entries whose judges' scores differ by more than "
              f"{result.disagreement if result.disagreement is not None else '(no limit set)'}:"]
    lines += ["  " + line for line in _moderation_lines(result)] or ["  none"]
    return escaped("\n".join(lines) + "\n")


def to_markdown(result: Calibration) -> str:
    lines = [f"# Calibration of the round {md_escape(result.round)}", "",
             "| " + " | ".join(HEADINGS) + " |", "|---|---:|---:|---|---:|---:|---|"]
    lines += ["| " + " | ".join(md_escape(cell) for cell in row) + " |"
              for row in _judge_rows(result)]
    lines += ["", "## Agreement (Krippendorff's alpha, interval)", ""]
    lines += [f"- {md_escape(line)}" for line in _agreement_lines(result)]
    lines += ["", "## Moderation", ""]
    if not result.moderation:
        lines.append("No entry's judges differ by more than the limit.")
    for m in result.moderation:
        lines += [f"### {md_escape(m.entry)} ({md_escape(m.category)}): spread "
                  f"{round2(m.spread):.2f}", "",
                  "| Judge | S | " + " | ".join(md_escape(c) for c in result.criteria) + " |",
                  "|---|---:|" + "---:|" * len(result.criteria)]
        lines += [f"| {md_escape(j.judge)} | {round2(j.score):.2f} | "
                  + " | ".join(str(j.scores.get(c, "–")) for c in result.criteria) + " |"
                  for j in m.judgements]
        lines.append("")
    return escaped("\n".join(lines).rstrip("\n") + "\n")


def tables(result: Calibration) -> list[Table]:
    """Calibration as tables, rounded as in JSON: Judges, Agreement, and Moderation (one
    row per judge of each entry to moderate)."""
    judges: list[tuple[Cell, ...]] = []
    for j in result.judges:
        d = _judge(j)
        low, high = d["interval"] if d["interval"] is not None else (None, None)
        judges.append((j.judge, j.judgements, j.shared, d["offset"], low, high, d["spread"],
                       d["correlation"], j.flag))
    return [
        Table("Judges", ("Judge", "Judgements", "Shared", "Offset", "95% interval from",
                         "95% interval to", "Spread", "r with panel", "Flag"), tuple(judges)),
        Table("Agreement", ("Criterion", "Krippendorff's alpha"), tuple(
            (name, _places(value, 3)) for name, value in result.agreement.items())),
        Table("Moderation", ("Entry", "Category", "Spread", "Judge", "S", *result.criteria),
              tuple((m.entry, m.category, round2(m.spread), j.judge, round2(j.score),
                     *(j.scores[c] for c in result.criteria))
                    for m in result.moderation for j in m.judgements))]


REPORTERS: dict[str, Reporter[Calibration]] = {
    "text": writing(to_text), "json": writing(to_json), "markdown": writing(to_markdown),
    "xlsx": workbook(tables, "calibration.xlsx")}
