"""Write the JSON Schemas (`qsi schema`). Imports pydantic, so only this command pays."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import QsiError
from .fileio import check_replaceable, output_folder, write_text_atomic


def schema_texts() -> dict[str, str]:
    from .model import json_schemas

    return {kind: json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            for kind, schema in json_schemas().items()}


def write_schemas(out: Path, programme: Path) -> list[Path]:
    """Write `<kind>.json` into the folder `out` (created if needed), which may not be
    the programme folder `programme` or one of its inputs (fileio.output_folder)."""
    output_folder(out, programme)
    texts = {out / f"{kind}.json": text for kind, text in schema_texts().items()}
    for path in texts:
        check_replaceable(path)
    for path, text in texts.items():
        try:
            write_text_atomic(path, text)
        except OSError as error:
            raise QsiError(f"Cannot write {path}: {error.strerror}.") from None
    return list(texts)
