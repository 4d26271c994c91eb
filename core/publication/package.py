"""The files of a year's public package, built in memory: notices as CSV (UTF-8 with BOM, for
Excel), XLSX and JSON, the draw records with their frame files, and the standalone verifier.

    plan_notices.{csv,xlsx,json}
    result_notices.{csv,xlsx,json}     (only once results exist)
    draws/<plan_id>.json               (each plan's committed draw record, as published)
    frames/...                         (at the paths the records name)
    verify_draw.py                     (python verify_draw.py draws/<plan_id>.json)

Only published notices leave, and only through the allow-lists (public_fields). The same bytes
go into the CLI's folder (folder.py) and the Publish page's download (a zip)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd

from core.db import Connection
from core.publication import draws, public_fields
from core.publication.results import results_available
from core.publication.versions import PLAN_NOTICE, RESULT_NOTICE, published
from core.refusal import Refused
from core.registry_io import neutralise

STANDALONE = Path(__file__).resolve().parent.parent / "verify_draw_standalone.py"


@dataclass
class Package:
    """A package's files by relative path, and what went into it."""

    year: int
    files: dict[str, bytes] = field(default_factory=dict)
    plan_notices: int = 0
    result_notices: int = 0
    results_available: bool = False
    draws: int = 0
    frame_files: int = 0


def _names(entries: list[dict] | None) -> str:
    return "; ".join(f"{e.get('name')} ({e.get('code')})" for e in entries or [])


def _frame_text(frame: dict[str, Any]) -> str:
    parts = []
    for key in ("kinds", "districts", "streets"):
        if frame.get(key):
            parts.append(f"{key}: {', '.join(frame[key])}")
    if frame.get("industries"):
        parts.append("industries: " + _names(frame["industries"]))
    return " | ".join(parts) or "all targets"


def _meta(row: Any) -> dict[str, Any]:
    return {
        "publication_id": row.publication_id, "version": int(row.version),
        "supersedes": row.supersedes, "reason": row.reason, "published_at": row.published_at,
    }  # fmt: skip


def plan_notice_rows(con: Connection, year: int) -> tuple[pd.DataFrame, list[dict]]:
    """The latest published plan notices as a flat table and as JSON documents."""
    table, docs = [], []
    for row in published(con, PLAN_NOTICE, year).itertuples(index=False):
        n = json.loads(row.content_json)
        camp, draw = n.get("campaign") or {}, n.get("draw") or {}
        table.append(
            {**_meta(row), "plan_id": n["plan_id"], "name": n["name"], "year": n["year"],
             "kind": n["kind"], "item_class": n["item_class"], "level": n["level"],
             "lead_dept": _names([n["lead_dept"]]), "departments": _names(n["departments"]),
             "items": "; ".join(f"{i['name']} ({i['item_code']})" for i in n["items"]),
             "frame": _frame_text(n["frame"]), "period_start": n["period_start"],
             "period_end": n["period_end"], "seed_commitment": camp.get("seed_commitment"),
             "beacon_source": camp.get("beacon_source"), "total_quota": draw.get("total_quota")}
        )  # fmt: skip
        docs.append({**_meta(row), "notice": n})
    df = pd.DataFrame(table, columns=list(public_fields.PUBLIC_COLUMNS["plan_notices"]))
    return public_fields.assert_public_table(df, "plan_notices"), docs


def result_notice_rows(con: Connection, year: int) -> tuple[pd.DataFrame, list[dict]]:
    """The latest published result notices: one table row per item checked."""
    table, docs = [], []
    for row in published(con, RESULT_NOTICE, year).itertuples(index=False):
        n = json.loads(row.content_json)
        for item in n["items"]:
            table.append(
                {**_meta(row), "enterprise_name": n["enterprise_name"], "uscc": n["uscc"],
                 "plans": "; ".join(f"{p['name']} ({p['plan_id']})" for p in n["plans"]),
                 "departments": _names(n["departments"]), "completed_on": n["completed_on"],
                 "item_code": item["item_code"], "item_name": item["name"],
                 "outcome_codes": ",".join(item["outcome_codes"]),
                 "outcome": "; ".join(item["outcome"]), "category": item["category"],
                 "simulated": "true" if n.get("simulated") else "false"}
            )  # fmt: skip
        docs.append({**_meta(row), "notice": n})
    df = pd.DataFrame(table, columns=list(public_fields.PUBLIC_COLUMNS["result_notices"]))
    return public_fields.assert_public_table(df, "result_notices"), docs


def inert(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells made inert for spreadsheets, as registry exports are (registry_io.neutralise):
    a name starting with = + - @ must not become a formula in a file the public opens."""
    return df.map(lambda v: neutralise(v) if isinstance(v, str) else v)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text correctly."""
    return inert(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        inert(df).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buf.getvalue()


def json_bytes(docs: list[dict]) -> bytes:
    for doc in docs:
        public_fields.assert_public_json(doc)
    return json.dumps(docs, ensure_ascii=False, indent=2).encode("utf-8")


def safe_relative(path: str) -> PurePosixPath:
    """A record's frame_file, refused if it could escape the publication folder."""
    rel = PurePosixPath(str(path))
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise Refused("publish.bad_frame_path", path=str(path))
    return rel


def draw_files(con: Connection, draw_id: str, plan_id: str, record_json: str) -> dict[str, bytes]:
    """The record and its frame files, keyed by relative path. Refused when a stored frame does
    not match the SHA-256 the record published: such a draw cannot be exported."""
    record = json.loads(record_json)
    frames = draws.stratum_frames(con, draw_id)
    files = {f"draws/{plan_id}.json": record_json.encode("utf-8")}
    for stratum in record["strata"]:
        data = draws.frame_bytes(frames.get(stratum["tier"], []))
        if hashlib.sha256(data).hexdigest() != stratum["frame_sha256"]:
            raise Refused("publish.frame_mismatch", plan_id=plan_id, stratum=stratum["tier"])
        files[str(safe_relative(stratum["frame_file"]))] = data
    return files


def public_package(con: Connection, year: int) -> Package:
    """Every file of the year's public package. Refused (nothing produced) when any committed
    draw cannot be exported: a package missing a draw would mislead."""
    pkg = Package(year=year, results_available=results_available(con))
    plans, plan_docs = plan_notice_rows(con, year)
    pkg.plan_notices = len(plan_docs)
    pkg.files.update({"plan_notices.csv": csv_bytes(plans),
                      "plan_notices.xlsx": xlsx_bytes(plans, "plan_notices"),
                      "plan_notices.json": json_bytes(plan_docs)})  # fmt: skip
    if pkg.results_available:
        results, result_docs = result_notice_rows(con, year)
        pkg.result_notices = len(result_docs)
        pkg.files.update({"result_notices.csv": csv_bytes(results),
                          "result_notices.xlsx": xlsx_bytes(results, "result_notices"),
                          "result_notices.json": json_bytes(result_docs)})  # fmt: skip
    for row in draws.current_draws(con, year).itertuples(index=False):
        files = draw_files(con, row.draw_id, row.plan_id, row.record_json)
        pkg.draws += 1
        pkg.frame_files += len(files) - 1
        pkg.files.update(files)
    pkg.files["verify_draw.py"] = STANDALONE.read_bytes()
    return pkg


def plan_notice_files(con: Connection, year: int) -> dict[str, bytes]:
    """The year's plan notices as downloadable files (csv, xlsx, json); empty if none."""
    plans, docs = plan_notice_rows(con, year)
    if not docs:
        return {}
    return {"csv": csv_bytes(plans), "xlsx": xlsx_bytes(plans, "plan_notices"),
            "json": json_bytes(docs)}  # fmt: skip


def zip_bytes(files: dict[str, bytes], folder: str) -> bytes:
    """A package as one zip (for the Publish page's download), under a top folder `folder`,
    with fixed timestamps so the same package always gives the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{rel}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, files[rel])
    return buf.getvalue()
