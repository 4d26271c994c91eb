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

from core import sampling
from core import verify_draw_standalone as standalone
from core.db import Connection
from core.publication import draws, public_fields
from core.publication.results import results_available
from core.publication.versions import PLAN_NOTICE, RESULT_NOTICE, published
from core.refusal import Refused
from core.registry_io import neutralise

STANDALONE = Path(__file__).resolve().parent.parent / "verify_draw_standalone.py"


@dataclass
class Package:
    """A package's files by relative path, and what went into it. `auditor` holds the auditor
    package (per-tier frames, per-stratum selections): never part of the public files."""

    year: int
    files: dict[str, bytes] = field(default_factory=dict)
    auditor: dict[str, bytes] = field(default_factory=dict)
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


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def legacy_draw_files(con: Connection, year: int, pkg: Package) -> None:
    """Draws of the first record format (per-tier frame files named in the record)."""
    for row in draws.current_draws(con, year).itertuples(index=False):
        files = draw_files(con, row.draw_id, row.plan_id, row.record_json)
        pkg.draws += 1
        pkg.frame_files += len(files) - 1
        pkg.files.update(files)


def draw_package_files(con: Connection, year: int, notice: dict[str, Any], pkg: Package) -> None:
    """docs/draw-record.md §1-§4: the public documents (notice, records without tiers, whole
    frames, campaign manifest) into pkg.files, the auditor's (auditor records, tier frames,
    auditor manifest) into pkg.auditor. Refused when the campaign is a rehearsal, a draw was
    committed under another notice, or a frame does not hash as its record says."""
    if notice.get("rehearsal"):
        raise Refused("publish.rehearsal", year=year)
    notice_bytes = _canonical(notice)
    pkg.files[standalone.NOTICE_FILE] = notice_bytes
    current = draws.current_draws(con, year)
    ids = current["draw_id"].tolist()
    frames = sampling.frame_files(con, ids) if ids else {}
    in_force = {}
    for draw_id, plan_id in zip(ids, current["plan_id"], strict=True):
        public = sampling.public_record(con, draw_id)
        audit = sampling.audit_record(con, draw_id)
        if public.get("commitment_id") != notice["commitment_id"]:
            raise Refused("publish.stale_commitment", plan_id=plan_id,
                          commitment=str(public.get("commitment_id")))  # fmt: skip
        whole = frames[draw_id].get(None, b"")
        if _sha(whole) != public["frame_sha256"]:
            raise Refused("publish.frame_mismatch", plan_id=plan_id, stratum="*")
        record = _canonical(public)
        pkg.files[f"draws/{plan_id}.json"] = record
        pkg.files[str(safe_relative(public["frame_file"]))] = whole
        pkg.auditor[f"audit/draws/{plan_id}.json"] = _canonical(audit)
        for st in audit["strata"]:
            data = frames[draw_id].get(st["tier"], b"")
            if _sha(data) != st["frame_sha256"]:
                raise Refused("publish.frame_mismatch", plan_id=plan_id, stratum=st["tier"])
            pkg.auditor[str(safe_relative(st["frame_file"]))] = data
        in_force[plan_id] = (draw_id, _sha(record))
        pkg.draws += 1
        pkg.frame_files += 1
    audit_manifest = {
        "format": standalone.AUDIT_MANIFEST_FORMAT, "campaign": notice["campaign"],
        "commitment_sha256": _sha(notice_bytes),
        "files": [{"path": p, "sha256": _sha(b)} for p, b in sorted(pkg.auditor.items())],
    }  # fmt: skip
    pkg.auditor[standalone.AUDIT_MANIFEST_FILE] = _canonical(audit_manifest)
    entries = []
    for plan in notice["plans"]:
        pid = plan["plan_id"]
        drawn = in_force.get(pid)
        entries.append({
            "plan_id": pid, "draw_id": drawn[0] if drawn else None,
            "record_file": f"draws/{pid}.json" if drawn else None,
            "record_sha256": drawn[1] if drawn else None, "frame_file": f"frames/{pid}.txt",
            "frame_sha256": plan["frame_sha256"], "frame_size": plan["frame_size"],
        })  # fmt: skip
    stray = sorted(set(in_force) - {p["plan_id"] for p in notice["plans"]})
    if stray:
        raise Refused("publish.stale_commitment", plan_id=stray[0],
                      commitment=notice["commitment_id"])  # fmt: skip
    manifest = {
        "format": standalone.MANIFEST_FORMAT, "campaign": notice["campaign"],
        "rehearsal": notice["rehearsal"], "commitment_id": notice["commitment_id"],
        "commitment_sha256": _sha(notice_bytes), "commitment_file": standalone.NOTICE_FILE,
        "plans": entries,
        "auditor_manifest_sha256": _sha(pkg.auditor[standalone.AUDIT_MANIFEST_FILE]),
    }  # fmt: skip
    pkg.files[standalone.MANIFEST_FILE] = _canonical(manifest)
    pkg.auditor["verify_draw.py"] = STANDALONE.read_bytes()


def commitment_notice(con: Connection, year: int) -> dict[str, Any] | None:
    """The campaign's notice in force (docs/draw-record.md §1), None before there is one."""
    read = getattr(sampling, "commitment_notice", None)
    return read(con, year) if read is not None else None


def public_package(con: Connection, year: int) -> Package:
    """Every file of the year's public package (and, apart, its auditor package). Refused
    (nothing produced) when any committed draw cannot be exported: a package missing a draw
    would mislead, and a rehearsal is never published as a real draw."""
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
    notice = commitment_notice(con, year)
    if notice is None:
        legacy_draw_files(con, year, pkg)
    else:
        draw_package_files(con, year, notice, pkg)
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


def package_zips(con: Connection, year: int, auditor: bool = False) -> dict[str, bytes]:
    """The year's public package as one zip (with its MANIFEST.json), and the auditor package
    when asked and there is one: what the CLI writes to folders, for a download. Reads only."""
    from core.publication import folder, release

    pkg = public_package(con, year)
    meta = {"year": year, "audit_head": release.audit_head(con)}
    files = {**pkg.files, folder.MANIFEST: folder.manifest_bytes(pkg.files, meta)}
    out = {"public": zip_bytes(files, f"suicha-publication-{year}")}
    if auditor and pkg.auditor:
        audit_files = {**pkg.auditor, folder.MANIFEST: folder.manifest_bytes(pkg.auditor, meta)}
        out["auditor"] = zip_bytes(audit_files, f"suicha-auditor-{year}")
    return out
