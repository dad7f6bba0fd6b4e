"""Write the JSON Schemas (`qsi schema`). Imports pydantic, so only this command pays."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import QsiError
from .fileio import write_text_atomic


def schema_texts() -> dict[str, str]:
    from .model import json_schemas

    return {kind: json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for kind, schema in json_schemas().items()}


def write_schemas(out: Path) -> list[Path]:
    if out.exists() and not out.is_dir():
        raise QsiError(f"{out} is a file; give a folder for --out.")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in schema_texts().items():
        path = out / f"{kind}.json"
        write_text_atomic(path, text)
        written.append(path)
    return written
