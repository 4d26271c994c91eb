"""Working days in Asia/Shanghai and the 20-working-day deadline for publishing a result.

A working day is Monday to Friday, minus the statutory holidays of the `holidays` table, plus its
调休 make-up days (weekend days worked in exchange). The due date of a result is the 20th working
day after the day the inspection was completed (the completion day itself does not count)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from core import settings
from core.db import Connection
from core.vocab import TZ

PUBLICATION_WORKING_DAYS = int(settings.value("publication_working_days"))
DUE_SOON_WORKING_DAYS = int(settings.value("due_soon_working_days"))


def today() -> date:
    """Today's date in Shanghai (the server may run in UTC)."""
    return datetime.now(TZ).date()


def holiday_table(con: Connection) -> dict[date, bool]:
    """day -> is_workday for every listed holiday or make-up day."""
    return {d: bool(w) for d, w in con.execute("SELECT day, is_workday FROM holidays").fetchall()}


def is_working_day(day: date, holidays: dict[date, bool]) -> bool:
    if day in holidays:
        return holidays[day]
    return day.weekday() < 5


def working_days(start: date, end: date, holidays: dict[date, bool]) -> np.ndarray:
    """Every working day from start to end inclusive, as numpy datetime64[D], ascending."""
    days = pd.date_range(start, end, freq="D")
    working = np.array([is_working_day(d, holidays) for d in days.date], dtype=bool)
    return days[working].to_numpy().astype("datetime64[D]")


def due_dates(
    completed: list[date] | pd.Series,
    holidays: dict[date, bool],
    n: int = PUBLICATION_WORKING_DAYS,
) -> list[date]:
    """The n-th working day after each completion date (vectorised over many visits)."""
    done = pd.to_datetime(pd.Series(list(completed))).dt.date
    if done.empty:
        return []
    # enough calendar to reach n working days past the last date, even across long holidays
    calendar = working_days(min(done), max(done) + timedelta(days=3 * n + 30), holidays)
    index = np.searchsorted(calendar, done.to_numpy().astype("datetime64[D]"), side="right")
    return [d.item() for d in calendar[index + n - 1]]


def due_date(completed: date, holidays: dict[date, bool], n: int = PUBLICATION_WORKING_DAYS):
    """The n-th working day after `completed`."""
    return due_dates([completed], holidays, n)[0]


def working_days_between(start: date, end: date, holidays: dict[date, bool]) -> int:
    """Working days after `start` up to and including `end` (negative when end < start)."""
    if end < start:
        return -working_days_between(end, start, holidays)
    return len(working_days(start + timedelta(days=1), end, holidays)) if end > start else 0


def working_days_left(due: list[date] | pd.Series, on: date, holidays: dict[date, bool]):
    """For each due date, working days after `on` up to it (0 = due today, < 0 = overdue)."""
    due = pd.to_datetime(pd.Series(list(due))).dt.date
    if due.empty:
        return np.array([], dtype=int)
    lo, hi = min(min(due), on), max(max(due), on)
    calendar = working_days(lo - timedelta(days=1), hi, holidays)
    at = np.searchsorted(calendar, np.datetime64(on, "D"), side="right")
    return np.searchsorted(calendar, due.to_numpy().astype("datetime64[D]"), side="right") - at
