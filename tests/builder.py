"""Build small programme folders in tests from Python values.

`write_programme(root, ...)` writes programme.yaml, categories.yaml, judges.yaml,
entries/*.md and scores/*.yaml with sensible defaults, so a test states only
what it is about. Values go through yaml.safe_dump, so they are real YAML files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
