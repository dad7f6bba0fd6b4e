"""`qsi guard`'s reporters: those of validate (report/findings.py), with the job summary
under its own heading."""

from __future__ import annotations

from ..findings import Checked
from . import Reporter
from .findings import GitHub, as_json, text

REPORTERS: dict[str, Reporter[Checked]] = {
    "text": text, "json": as_json, "github": GitHub("qsi guard")}
