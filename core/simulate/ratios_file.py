"""Read a class x tier ratio table from a CSV or JSON file, or refuse naming the problem.

Accepted shapes (basis points, whole numbers, 1..10000; cells not given keep the table in force):
- CSV wide: header `item_class,A,B,C,D`, one row per item class;
- CSV long: header `item_class,tier,ratio_bp`, one row per cell;
- JSON: {"A": {"A": 50, "B": 100, ...}, "B": {...}} or the same under a key "ratios", or a list
  of {"item_class", "tier", "ratio_bp"} objects."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from core.refusal import Refused
from core.simulate.quotas import BP
from core.vocab import ITEM_CLASSES, TIERS


def _bad(path: Path, where: str, problem: str) -> Refused:
    return Refused("simulate.bad_file", file=str(path), where=where, problem=problem)


def _bp(path: Path, where: str, value: Any) -> int:
    try:
        number = float(str(value).strip())
    except ValueError:
        raise _bad(path, where, f"{value!r} is not a number") from None
    if number != int(number):
        raise _bad(path, where, f"{value!r} is not whole basis points")
    if not 0 < number <= BP:
        raise _bad(path, where, f"{int(number)} bp is outside 1..{BP}")
    return int(number)


def _cell(path: Path, where: str, item_class: Any, tier: Any) -> tuple[str, str]:
    c, t = str(item_class).strip().upper(), str(tier).strip().upper()
    if c not in ITEM_CLASSES:
        raise _bad(path, where, f"unknown item class {item_class!r} (A, B or C)")
    if t not in TIERS:
        raise _bad(path, where, f"unknown risk tier {tier!r} (A, B, C or D)")
    return c, t


def _from_csv(path: Path, text: str) -> dict[tuple[str, str], int]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise _bad(path, "header", "no rows")
    header = [h.strip() for h in rows[0]]
    cells: dict[tuple[str, str], int] = {}
    if "item_class" not in header:
        raise _bad(path, "header", "no item_class column")
    long = "tier" in header and "ratio_bp" in header
    if not long and not any(t in header for t in TIERS):
        raise _bad(path, "header", "expected columns A, B, C, D or tier and ratio_bp")
    for i, row in enumerate(rows, start=2):
        row = {(k or "").strip(): v for k, v in row.items()}
        if long:
            key = _cell(path, f"row {i}", row.get("item_class"), row.get("tier"))
            cells[key] = _bp(path, f"row {i}, ratio_bp", row.get("ratio_bp"))
            continue
        for tier in TIERS:
            if row.get(tier) not in (None, ""):
                key = _cell(path, f"row {i}", row.get("item_class"), tier)
                cells[key] = _bp(path, f"row {i}, {tier}", row[tier])
    return cells


def _from_json(path: Path, text: str) -> dict[tuple[str, str], int]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _bad(path, f"line {e.lineno}", "not valid JSON") from None
    if isinstance(data, dict) and "ratios" in data:
        data = data["ratios"]
    cells: dict[tuple[str, str], int] = {}
    if isinstance(data, list):
        for i, item in enumerate(data):
            if not isinstance(item, dict):
                raise _bad(path, f"item {i}", "expected an object with item_class, tier, ratio_bp")
            key = _cell(path, f"item {i}", item.get("item_class"), item.get("tier"))
            cells[key] = _bp(path, f"item {i}, ratio_bp", item.get("ratio_bp"))
        return cells
    if not isinstance(data, dict):
        raise _bad(path, "top level", "expected an object of item classes or a list of cells")
    for cls, tiers in data.items():
        if not isinstance(tiers, dict):
            raise _bad(path, f"class {cls}", "expected an object of tiers")
        for tier, value in tiers.items():
            key = _cell(path, f"class {cls}", cls, tier)
            cells[key] = _bp(path, f"class {cls}, tier {tier}", value)
    return cells


def read_table(path: str | Path, base: pd.DataFrame) -> pd.DataFrame:
    """The table in `path` merged over `base` (the table in force); Refused on a bad file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _bad(path, "file", "no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise _bad(path, "file", str(e).splitlines()[0]) from None
    if path.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        cells = _from_json(path, text)
    else:
        cells = _from_csv(path, text)
    if not cells:
        raise _bad(path, "file", "no ratios found")
    table = base.reindex(index=list(ITEM_CLASSES), columns=list(TIERS)).astype("int64").copy()
    for (c, t), bp in cells.items():
        table.loc[c, t] = bp
    return table
