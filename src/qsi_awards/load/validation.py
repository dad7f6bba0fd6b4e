"""Check parsed YAML against the packaged JSON Schemas, fast, with friendly messages.

The schemas are generated from the pydantic models (model.py) and shipped in
src/qsi_awards/schemas/. Each schema is compiled once into nested closures that
support exactly the keywords those schemas use (SUPPORTED); a test fails if a
model ever produces a keyword outside that set, and a property test checks that
this validator and pydantic agree. Importing pydantic would cost more than the
whole validation of a small programme, which is why this module exists.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path as FilePath
from typing import Any

from .yamlparse import number_advice

Path = tuple[str | int, ...]

SUPPORTED = frozenset({
    "$defs", "$id", "$ref", "$schema", "additionalProperties", "anyOf", "default",
    "description", "enum", "exclusiveMinimum", "format", "items", "maxLength", "maximum",
    "minItems", "minLength", "minimum", "pattern", "patternProperties", "properties",
    "required", "title",
    "type",
    "x-qsi-code",  # the rule code for a value outside its bounds (see model.py)
})

ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$"


@dataclass(frozen=True, slots=True)
class SchemaError:
    path: Path  # where the problem is; for "unknown" the path of the unknown key
    code: str  # a rule code
    message: str
    at_key: bool = False  # point at the key rather than the value


Check = Callable[[Any, Path, list[SchemaError]], None]

_TYPES: dict[str, str] = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of fields (name: value)",
    "null": "empty",
}


def _is_type(value: Any, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    return value is None


def describe(value: Any) -> str:
    """A short, safe description of a value for a message (never a deep repr)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = str(value) if abs(value) < 1e15 else "a very large number"
        return text
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:39] + "…"
        return "'" + short.replace("\n", " ") + "'"
    if isinstance(value, list):
        return "a list"
    return "a set of fields"


def field_name(path: Path) -> str:
    """'lead.email', 'timeline[2].date' — how a person would name the place."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out or "the file"


def _label(path: Path) -> str:
    return f"'{field_name(path)}'" if path else "This file"


def _regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema (ECMA-262) pattern as a Python regex. The one difference our patterns
    meet: a final ``$`` means the end of the text in JSON Schema, while Python's ``$`` also
    matches before a final newline, which would let the ID "falls\\n" through."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + "\\Z"
    return re.compile(pattern)


def _pattern_error(pattern: str, schema: dict[str, Any], path: Path, value: str) -> SchemaError:
    if pattern == ID_PATTERN:
        return SchemaError(path, "bad-id", (
            f"{_label(path)} is {describe(value)}, which is not a valid ID: use lower-case "
            "letters, digits and dashes, starting with a letter or digit (at most 64)."))
    if schema.get("format") == "email":
        return SchemaError(path, "bad-email", (
            f"{_label(path)} should be an e-mail address such as name@example.nhs.uk, "
            f"but it is {describe(value)}."))
    if schema.get("format") == "date":
        return _date_error(path, value)
    if pattern == "\\S":
        return SchemaError(path, "bad-value", f"{_label(path)} is blank; write something in it.")
    if pattern.startswith("^#"):
        return SchemaError(path, "bad-value", (
            f"{_label(path)} should be a hashtag such as #KMQSIAwards (a # then letters "
            f"or digits), but it is {describe(value)}."))
    return SchemaError(path, "bad-value", f"{_label(path)} has the wrong form: {describe(value)}.")


def _date_error(path: Path, value: Any) -> SchemaError:
    return SchemaError(path, "bad-date", (
        f"{_label(path)} should be a date written YYYY-MM-DD, such as 2020-01-28, "
        f"but it is {describe(value)}."))


def _type_error(path: Path, expected: list[str], value: Any) -> SchemaError:
    wanted = " or ".join(_TYPES[name] for name in expected if name != "null")
    if not wanted:
        wanted = "empty"
    if value is None:
        kind = "" if wanted == "text" else f" with {wanted}"
        return SchemaError(path, "wrong-type", f"{_label(path)} is empty; fill it in{kind}.")
    tip = ""
    if isinstance(value, str) and ("integer" in expected or "number" in expected):
        advice = number_advice(value)
        if advice is not None:
            return SchemaError(path, "bad-number", (
                f"{_label(path)} should be {wanted}, but it is written {_clip(value.strip())}; "
                f"{advice}."))
        if re.fullmatch(r"\s*[-+]?\d+(\.\d+)?\s*", value):
            tip = f" (write {value.strip()} without quotes)"
    elif "string" in expected and isinstance(value, int | float) and not isinstance(value, bool):
        tip = f' (put it in quotes: "{value}")'
    elif "integer" in expected and isinstance(value, float):
        tip = " (scores are whole numbers)"
    elif expected == ["boolean"] and isinstance(value, str):
        tip = " (write true or false without quotes)"
    return SchemaError(path, "wrong-type",
                       f"{_label(path)} should be {wanted}, but it is {describe(value)}{tip}.")


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: dict[str, Any]) -> Check:
        unknown = set(schema) - SUPPORTED
        if unknown:
            raise ValueError(f"schema keyword(s) not supported: {sorted(unknown)}")
        if "$ref" in schema:
            return self._ref(schema["$ref"])
        if "anyOf" in schema:
            return self._any_of(schema)
        checks: list[Check] = []
        kind = schema.get("type")
        if kind == "object":
            checks.append(self._object(schema))
        elif kind == "array":
            checks.append(self._array(schema))
        elif kind == "string":
            checks.append(self._string(schema))
        elif kind in ("integer", "number"):
            checks.append(self._number(schema))
        elif kind is not None:
            name = str(kind)

            def check_type(value: Any, path: Path, errors: list[SchemaError]) -> None:
                if not _is_type(value, name):
                    errors.append(_type_error(path, [name], value))

            checks.append(check_type)
        if "enum" in schema:
            checks.append(self._enum(schema["enum"]))
        if len(checks) == 1:
            return checks[0]

        def check_all(value: Any, path: Path, errors: list[SchemaError]) -> None:
            before = len(errors)
            for check in checks:
                check(value, path, errors)
                if len(errors) > before:
                    return

        return check_all

    def _ref(self, ref: str) -> Check:
        name = ref.rsplit("/", 1)[-1]
        if name not in self.refs:
            target = self.root["$defs"][name]
            holder: list[Check] = []

            def deferred(value: Any, path: Path, errors: list[SchemaError]) -> None:
                holder[0](value, path, errors)

            self.refs[name] = deferred
            holder.append(self.compile(target))
            self.refs[name] = holder[0]
        return self.refs[name]

    def _any_of(self, schema: dict[str, Any]) -> Check:
        branches = [(self._branch_types(b), self.compile(b)) for b in schema["anyOf"]]
        all_types = [t for types, _ in branches for t in types]

        def check(value: Any, path: Path, errors: list[SchemaError]) -> None:
            for types, branch in branches:
                if any(_is_type(value, t) for t in types):
                    branch(value, path, errors)
                    return
            errors.append(_type_error(path, all_types, value))

        return check

    def _branch_types(self, schema: dict[str, Any]) -> list[str]:
        while "$ref" in schema:
            schema = self.root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        if "type" in schema:
            return [schema["type"]]
        if "enum" in schema:
            return sorted({"string" if isinstance(v, str) else "null" for v in schema["enum"]})
        raise ValueError("anyOf branch without a type")

    def _object(self, schema: dict[str, Any]) -> Check:
        props = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        required = list(schema.get("required", []))
        extra_schema = schema.get("additionalProperties", True)
        extra: Check | None = (self.compile(extra_schema)
                               if isinstance(extra_schema, dict) else None)
        forbid = extra_schema is False
        pattern_props = schema.get("patternProperties", {})
        key_pattern: re.Pattern[str] | None = None
        key_check: Check | None = None
        if pattern_props:
            ((pattern, sub),) = pattern_props.items()
            key_pattern = _regex(pattern)
            key_check = self.compile(sub)
        known = sorted(props)

        def check(value: Any, path: Path, errors: list[SchemaError]) -> None:
            if not isinstance(value, dict):
                errors.append(_type_error(path, ["object"], value))
                return
            for name in required:
                if name not in value:
                    errors.append(SchemaError(path, "missing-field", (
                        f"{_label(path)} has no '{name}'; add it, it is required."), at_key=True))
            for key, item in value.items():
                sub = props.get(key)
                if sub is not None:
                    sub(item, (*path, key), errors)
                elif key_pattern is not None and key_check is not None:
                    if key_pattern.match(key):
                        key_check(item, (*path, key), errors)
                    else:
                        errors.append(SchemaError((*path, key), "bad-id", (
                            f"'{_clip(key)}' is not a valid ID: use lower-case letters, digits "
                            "and dashes, starting with a letter or digit (at most 64)."),
                            at_key=True))
                elif extra is not None:
                    extra(item, (*path, key), errors)
                elif forbid:
                    errors.append(_unknown(path, key, known))

        return check

    def _array(self, schema: dict[str, Any]) -> Check:
        items = self.compile(schema["items"]) if "items" in schema else None
        min_items = schema.get("minItems", 0)

        def check(value: Any, path: Path, errors: list[SchemaError]) -> None:
            if not isinstance(value, list):
                errors.append(_type_error(path, ["array"], value))
                return
            if len(value) < min_items:
                errors.append(SchemaError(path, "bad-value", (
                    f"{_label(path)} needs at least {min_items} item"
                    f"{'s' if min_items != 1 else ''}.")))
            if items is not None:
                for index, item in enumerate(value):
                    items(item, (*path, index), errors)

        return check

    def _string(self, schema: dict[str, Any]) -> Check:
        min_length = schema.get("minLength", 0)
        max_length = schema.get("maxLength")
        raw_pattern = schema.get("pattern")
        pattern = _regex(raw_pattern) if raw_pattern else None
        is_date = schema.get("format") == "date"

        def check(value: Any, path: Path, errors: list[SchemaError]) -> None:
            if not isinstance(value, str):
                errors.append(_type_error(path, ["string"], value))
                return
            if len(value) < min_length:
                errors.append(SchemaError(path, "bad-value",
                                          f"{_label(path)} is blank; write something in it."))
                return
            if (pattern is not None and not pattern.search(value)) or (
                    max_length is not None and len(value) > max_length):
                errors.append(_pattern_error(raw_pattern or "", schema, path, value))
                return
            if is_date:
                try:
                    dt.date.fromisoformat(value)
                except ValueError:
                    errors.append(_date_error(path, value))

        return check

    def _number(self, schema: dict[str, Any]) -> Check:
        kind = schema["type"]
        minimum = schema.get("minimum")
        exclusive = schema.get("exclusiveMinimum")
        maximum = schema.get("maximum")
        bounds_code = schema.get("x-qsi-code", "bad-value")

        def check(value: Any, path: Path, errors: list[SchemaError]) -> None:
            if not _is_type(value, kind):
                errors.append(_type_error(path, [kind], value))
                return
            if kind == "number" and isinstance(value, int):
                try:
                    float(value)
                except OverflowError:
                    errors.append(SchemaError(path, "wrong-type", (
                        f"{_label(path)} is a number too large to use; write a smaller one.")))
                    return
            code = bounds_code
            # `not >=` rather than `<`, so that .nan fails the bound as it does in pydantic
            if minimum is not None and not value >= minimum:
                errors.append(SchemaError(path, code, (
                    f"{_label(path)} must be at least {_bound(minimum)}, but it is "
                    f"{describe(value)}.")))
            elif exclusive is not None and not value > exclusive:
                errors.append(SchemaError(path, code, (
                    f"{_label(path)} must be more than {_bound(exclusive)}, but it is "
                    f"{describe(value)}.")))
            elif maximum is not None and not value <= maximum:
                errors.append(SchemaError(path, code, (
                    f"{_label(path)} must be at most {_bound(maximum)}, but it is "
                    f"{describe(value)}.")))

        return check

    def _enum(self, options: list[Any]) -> Check:
        allowed = frozenset(options)
        shown = ", ".join(str(option) for option in options if option is not None)

        def check(value: Any, path: Path, errors: list[SchemaError]) -> None:
            if isinstance(value, str | type(None)) and value not in allowed:
                errors.append(SchemaError(path, "bad-choice", (
                    f"{_label(path)} must be one of {shown}, but it is {describe(value)}.")))

        return check


def _bound(number: float) -> str:
    """A bound as people write it: 0, 2.5, 1,000,000."""
    return f"{number:,}" if isinstance(number, int) else f"{number:g}"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown(path: Path, key: str, known: list[str]) -> SchemaError:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6) if len(key) < 100 else []
    hint = f"did you mean '{close[0]}'?" if close else "the fields here are " + ", ".join(known)
    where = f" in '{field_name(path)}'" if path else ""
    return SchemaError((*path, key), "unknown-field",
                       f"'{_clip(key)}' is not a field qsi knows{where}; {hint}", at_key=True)


def load_schema(kind: str) -> dict[str, Any]:
    text = (FilePath(__file__).parent / "schemas" / f"{kind}.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def validator(kind: str) -> Check:
    """The compiled check for one file kind (programme, entry, scores, ...)."""
    schema = load_schema(kind)
    return _Compiler(schema).compile(schema)


def check(kind: str, data: Any) -> list[SchemaError]:
    errors: list[SchemaError] = []
    validator(kind)(data, (), errors)
    return errors
