"""Build small programme folders in tests from Python values.

`write_programme(root, ...)` writes programme.yaml, categories.yaml, judges.yaml,
entries/*.md and scores/*.yaml with sensible defaults, so a test states only
what it is about. Values go through yaml.safe_dump, so they are real YAML files.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from qsi_awards.model import Category, EntryFile, Judge

CRITERIA = [
    {"id": "ambition", "title": "Ambition", "weight": 20},
    {"id": "impact", "title": "Impact", "weight": 30},
]


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def entry_text(meta: dict[str, Any], body: str | None = None) -> str:
    if body is None:
        body = "## Challenge\nA problem.\n\n## Impact\nIt got better.\n"
    return "---\n" + dump(meta) + "---\n" + body


def entry_meta(entry_id: str, category: str = "cat-a", organisation: str | None = None,
               **extra: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": f"Project {entry_id}",
        "category": category,
        "organisation": organisation or f"Org of {entry_id}",
        "care_setting": "primary",
        "lead": {"name": "Pat Lead", "email": f"{entry_id}@example.nhs.uk"},
        "submitted": "2020-01-15",
        "consent_to_publish": True,
        "summary": f"Summary of {entry_id}.",
    }
    meta.update(extra)
    return meta


def write_programme(
    root: Path,
    *,
    criteria: list[dict[str, Any]] | None = None,
    judging: dict[str, Any] | None = None,
    categories: list[dict[str, Any]] | None = None,
    judges: list[dict[str, Any]] | None = None,
    entries: dict[str, dict[str, Any]] | None = None,
    sheets: dict[str, dict[str, Any]] | None = None,
    decisions: list[dict[str, Any]] | None = None,
    adoption: list[dict[str, Any]] | None = None,
    extra_settings: dict[str, Any] | None = None,
) -> Path:
    """Write a programme folder. `entries` maps id -> front matter (see entry_meta);
    `sheets` maps judge id -> {entry id: judgement}."""
    root.mkdir(parents=True, exist_ok=True)
    settings: dict[str, Any] = {
        "name": "Test Awards",
        "edition": "2020",
        "hashtag": "#TestAwards",
        "maintainers": ["lead-handle"],
        "timeline": [
            {"id": "deadline", "title": "Deadline", "date": "2020-02-01",
             "kind": "submission_deadline"},
            {"id": "ceremony", "title": "Ceremony", "date": "2020-04-01", "kind": "ceremony"},
        ],
        "rubric": {"scale": {"min": 0, "max": 10}, "criteria": criteria or CRITERIA},
        "judging": {"judges_per_entry": 2, **(judging or {})},
    }
    settings.update(extra_settings or {})
    (root / "programme.yaml").write_text(dump(settings), encoding="utf-8")
    cats = categories or [{"id": "cat-a", "title": "Category A", "theme": "safety"}]
    (root / "categories.yaml").write_text(dump({"categories": cats}), encoding="utf-8")
    panel = judges if judges is not None else [
        {"id": f"j{i}", "name": f"Judge {i}", "organisation": f"Panel Org {i}"}
        for i in range(1, 5)
    ]
    (root / "judges.yaml").write_text(dump({"judges": panel}), encoding="utf-8")
    (root / "entries").mkdir(exist_ok=True)
    for entry_id, meta in (entries or {}).items():
        (root / "entries" / f"{entry_id}.md").write_text(entry_text(meta), encoding="utf-8")
    (root / "scores").mkdir(exist_ok=True)
    for judge_id, scores in (sheets or {}).items():
        (root / "scores" / f"{judge_id}.yaml").write_text(
            dump({"judge": judge_id, "scores": scores}), encoding="utf-8")
    if decisions is not None:
        (root / "decisions.yaml").write_text(dump({"decisions": decisions}), encoding="utf-8")
    if adoption is not None:
        (root / "adoption.yaml").write_text(dump({"adoption": adoption}), encoding="utf-8")
    return root


def scores(ambition: int | None, impact: int | None, **extra: Any) -> dict[str, Any]:
    return {"ambition": ambition, "impact": impact, **extra}


# typed models, for the pure functions (tally, assign) -----------------------------------


def front(entry_id: str, category: str = "cat-a", organisation: str | None = None,
          title: str | None = None) -> EntryFile:
    """An entry's front matter as a model, valid, with what a test does not care about
    filled in."""
    meta = entry_meta(entry_id, category, organisation)
    if title is not None:
        meta["title"] = title
    return EntryFile.model_validate(meta)


def fronts(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, EntryFile]:
    """{id: {category, organisation[, title]}} as front-matter models."""
    return {entry_id: front(entry_id, str(e["category"]), str(e["organisation"]),
                            e.get("title"))
            for entry_id, e in entries.items()}


def judge_models(panel: Mapping[str, Mapping[str, Any]]) -> dict[str, Judge]:
    """{id: {organisation[, categories, conflicts]}} as judge models."""
    return {judge_id: Judge.model_validate({"id": judge_id, "name": f"Judge {judge_id}",
                                            **{k: v for k, v in judge.items() if k != "id"}})
            for judge_id, judge in panel.items()}


def category(category_id: str, title: str) -> Category:
    return Category(id=category_id, title=title, theme="qi")
