"""`qsi validate`'s reporters (report/findings.py)."""

from __future__ import annotations

from ..findings import Checked
from . import Reporter
from .findings import GitHub, as_json, text

REPORTERS: dict[str, Reporter[Checked]] = {
    "text": text, "json": as_json, "github": GitHub("qsi validate")}
