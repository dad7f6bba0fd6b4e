"""Dates as people read them, the same on every platform. strftime cannot do it: its
day without a leading zero is a glibc extension (Windows spells it differently), and
its month names follow the locale. So qsi spells dates out itself."""

from __future__ import annotations

import datetime as dt

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def long_date(day: dt.date) -> str:
    """'1 April 2020'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'1 Apr 2020'."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"
