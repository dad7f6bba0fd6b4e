"""Validation of parsed YAML into the pydantic models, with qsi's rule codes and plain
messages.

pydantic checks every file against its model (model/) and reports every error with its
type, location and context; `validate` turns each into a SchemaError: the rule code of
the catalogue (findings.py), one sentence a ward manager understands, and the path in
the document, from which the loader works out the line and column. Where a message
needs to know what a place allows (the fields of a mapping, the choices of a field, the
rule code of a bound), it reads the file kind's JSON Schema, generated from the same
models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..model import model_schema
from ..model.ballots import FINALIST_PATTERN
from ..model.measures import CSV_PATTERN
from ..model.types import ID_PATTERN
from .yamlparse import number_advice

Path = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class SchemaError:
    """A value its model refuses: where, with qsi's rule code and message."""

    path: Path  # where the problem is; for "unknown" the path of the unknown key
    code: str  # a rule code
    message: str
    at_key: bool = False  # point at the key rather than the value


def validate(model: type[M], data: Any) -> tuple[M | None, list[SchemaError]]:
    """`data` as `model`, or None and every problem pydantic found in it."""
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        schema = _schema(model)
        problems = [_problem(schema, detail, data) for detail in error.errors(
            include_url=False, include_context=True, include_input=True)]
        return None, _dedupe(problems)


def check(kind: str, data: Any) -> list[SchemaError]:
    """Every problem of `data` as a file of this kind (programme, entry, scores, ...)."""
    from ..model import FILE_KINDS

    return validate(FILE_KINDS[kind], data)[1]


def _dedupe(problems: list[SchemaError]) -> list[SchemaError]:
    seen: set[tuple[Path, str]] = set()
    out = []
    for problem in problems:
        key = (problem.path, problem.code)
        if key not in seen:
            seen.add(key)
            out.append(problem)
    return out


@cache
def _schema(model: type[BaseModel]) -> dict[str, Any]:
    return model_schema(model)


# where a problem is, and what the schema says about that place ---------------------------


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _branches(root: dict[str, Any], node: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a node (anyOf: [X, null] is X)."""
    node = _resolve(root, node)
    if "anyOf" in node or "oneOf" in node:  # oneOf: a discriminated union
        out = []
        for branch in node.get("anyOf") or node.get("oneOf") or []:
            branch = _resolve(root, branch)
            if branch.get("type") != "null":
                out.extend(_branches(root, branch))
        return out
    return [node]


def _at(root: dict[str, Any], path: Path) -> dict[str, Any]:
    """The schema of the value at `path` ({} when the schema says nothing about it)."""
    node: dict[str, Any] = root
    for part in path:
        found: dict[str, Any] | None = None
        for branch in _branches(root, node):
            if isinstance(part, int) and "items" in branch:
                found = branch["items"]
            elif isinstance(part, str) and part in branch.get("properties", {}):
                found = branch["properties"][part]
            elif isinstance(part, str) and branch.get("patternProperties"):
                found = next(iter(branch["patternProperties"].values()))
            elif isinstance(part, str) and isinstance(branch.get("additionalProperties"), dict):
                found = branch["additionalProperties"]
            if found is not None:
                break
        if found is None:
            return {}
        node = found
    branches = _branches(root, node)
    if len(branches) == 1:
        return branches[0]
    return {"anyOf": branches}


def _types(node: dict[str, Any]) -> list[str]:
    if "anyOf" in node:
        return [t for branch in node["anyOf"] for t in _types(branch)]
    if "type" in node:
        return [node["type"]]
    if "enum" in node:
        return ["string"]
    if "const" in node:
        return ["string"]
    return []


def _choices(node: dict[str, Any]) -> list[Any]:
    if "enum" in node:
        return list(node["enum"])
    if "const" in node:
        return [node["const"]]
    return [c for branch in node.get("anyOf", node.get("oneOf", [])) for c in _choices(branch)]


def _value_at(data: Any, path: Path) -> Any:
    for part in path:
        inside = (part in data if isinstance(data, dict) else
                  isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data))
        if not inside:
            return None
        data = data[part]
    return data


_TYPE_ERRORS = {
    "string_type": "string", "int_type": "integer", "float_type": "number",
    "bool_type": "boolean", "list_type": "array", "dict_type": "object",
    "model_type": "object", "model_attributes_type": "object", "int_from_float": "integer",
    "none_required": "null",
}
_BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt",
           "less_than_equal": "le"}


def _without_tags(loc: tuple[Any, ...], data: Any) -> tuple[Any, ...]:
    """The location without the tags pydantic adds for the branch of a union (a ranking
    place is an ID or a list of IDs): a name where the data holds no set of fields."""
    out = []
    for part in loc:
        if isinstance(part, str) and not isinstance(data, dict) and part != "[key]":
            continue
        out.append(part)
        inside = (part in data if isinstance(data, dict) else isinstance(data, list)
                  and isinstance(part, int) and 0 <= part < len(data))
        data = data[part] if inside else None
    return tuple(out)


def _problem(root: dict[str, Any], detail: Any, data: Any) -> SchemaError:
    kind: str = detail["type"]
    loc = _without_tags(tuple(detail["loc"]), data)
    context = detail.get("ctx") or {}
    if loc and loc[-1] == "[key]":  # a mapping key that is not an ID
        key = loc[-2]
        if context.get("pattern") == FINALIST_PATTERN:
            return SchemaError(loc[:-1], "bad-id", f"{describe(str(key))} is {_NO_FINALIST}",
                               at_key=True)
        return SchemaError(loc[:-1], "bad-id", (
            f"'{_clip(str(key))}' is not a valid ID: use lower-case letters, digits and "
            "dashes, starting with a letter or digit (at most 64)."), at_key=True)
    path: Path = loc
    value = detail.get("input")
    if kind == "missing":
        parent, name = path[:-1], path[-1]
        return SchemaError(parent, "missing-field", (
            f"{_label(parent)} has no '{name}'; add it, it is required."), at_key=True)
    if kind == "extra_forbidden":
        parent, key = path[:-1], str(path[-1])
        known = sorted(_at(root, parent).get("properties", {}))
        return _unknown(parent, key, known)
    node = _at(root, path)
    if value is None and kind != "none_required":  # an empty value where one is needed
        return _type_error(path, _types(node) or ["string"], None)
    if kind in _TYPE_ERRORS:
        expected = _types(node) or [_TYPE_ERRORS[kind]]
        if kind == "model_type" or kind == "model_attributes_type":
            expected = ["object"]
        return _type_error(path, expected, _value_at(data, path) if value is None else value)
    if kind == "literal_error" or kind == "enum":
        shown = ", ".join(str(option) for option in _choices(node) if option is not None)
        return SchemaError(path, "bad-choice", (
            f"{_label(path)} must be one of {shown}, but it is {describe(value)}."))
    if kind in ("string_too_short", "string_pattern_mismatch", "string_too_long"):
        if kind == "string_too_short" and context.get("min_length", 1) == 1:
            return SchemaError(path, "bad-value",
                               f"{_label(path)} is blank; write something in it.")
        return _pattern_error(str(context.get("pattern", node.get("pattern", ""))), node, path,
                              str(value))
    if kind == "value_error" and node.get("format") == "date":
        return _date_error(path, value)
    if kind in _BOUNDS:
        code = node.get("x-qsi-code", "bad-value")
        bound = context.get(_BOUNDS[kind], 0)
        words = {"gt": "more than", "ge": "at least", "lt": "less than", "le": "at most"}
        return SchemaError(path, code, (
            f"{_label(path)} must be {words[_BOUNDS[kind]]} {_bound(bound)}, but it is "
            f"{describe(value)}."))
    if kind == "finite_number":
        return SchemaError(path, "bad-number", (
            f"{_label(path)} should be a number, but it is not a finite one; write an ordinary "
            "number such as 7 or 2.5."))
    if kind == "too_short":
        least = context.get("min_length", 1)
        return SchemaError(path, "bad-value", (
            f"{_label(path)} needs at least {least} item{'s' if least != 1 else ''}."))
    return SchemaError(path, "bad-value", (
        f"{_label(path)} is not right: {detail.get('msg', 'a value qsi cannot use')}."))


_NO_FINALIST = (
    "neither an entry ID nor a reference: write the finalist's reference as your judge pack "
    "shows it (E- and six letters and digits, such as E-7K3Q9X; there is no I, L, O or U "
    "in one), or its entry ID.")


def _pattern_error(pattern: str, schema: dict[str, Any], path: Path, value: str) -> SchemaError:
    if pattern == ID_PATTERN:
        return SchemaError(path, "bad-id", (
            f"{_label(path)} is {describe(value)}, which is not a valid ID: use lower-case "
            "letters, digits and dashes, starting with a letter or digit (at most 64)."))
    if pattern == FINALIST_PATTERN:
        return SchemaError(path, "bad-id",
                           f"{_label(path)} is {describe(value)}, which is {_NO_FINALIST}")
    if pattern == CSV_PATTERN:
        return SchemaError(path, "bad-value", (
            f"{_label(path)} should name a CSV file beside this file, such as "
            "falls-huddles.falls-rate.csv (no folder: lower-case letters, digits and dashes, "
            f"the file's name, a dot, a name, then .csv), but it is {describe(value)}."))
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


_TYPES: dict[str, str] = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of fields (name: value)",
    "null": "empty",
}


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
        word = value.strip().casefold()
        if word in ("yes", "on", "y"):
            tip = " (write true for yes)"
        elif word in ("no", "off", "n"):
            tip = " (write false for no)"
        else:
            tip = " (write true or false without quotes)"
    return SchemaError(path, "wrong-type",
                       f"{_label(path)} should be {wanted}, but it is {describe(value)}{tip}.")


def _bound(number: float) -> str:
    """A bound as people write it: 0, 2.5, 1,000,000 (a float field's whole bound too,
    never 1e+06)."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _unknown(path: Path, key: str, known: list[str]) -> SchemaError:
    import difflib

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6) if len(key) < 100 else []
    hint = f"did you mean '{close[0]}'?" if close else "the fields here are " + ", ".join(known)
    where = f" in '{field_name(path)}'" if path else ""
    return SchemaError((*path, key), "unknown-field",
                       f"'{_clip(key)}' is not a field qsi knows{where}; {hint}", at_key=True)


