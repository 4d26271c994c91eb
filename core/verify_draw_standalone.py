"""Check a published Suicha draw with nothing but Python (docs/draw-record.md, record v2).

    python verify_draw.py [PACKAGE]                  the whole public package (default: here)
    python verify_draw.py PACKAGE/draws/<plan>.json  one plan, with the campaign's documents
    python verify_draw.py PACKAGE --auditor AUDIT    also the auditor package (per-tier frames)
    add --json for the checks as JSON

This file is shipped unchanged into every publication as verify_draw.py. It uses only the
standard library and imports nothing from Suicha, so anyone can read it and re-run a draw without
trusting our software. The random-number rule is suicha-prn-sha256-v1:
u(c) = first 8 bytes of sha256("<prn_seed>|<c>") as a big-endian integer / 2**64; a stratum's
selection is its `quota` members with the smallest (u(c), c).

What anyone can check with the public package (no risk tiers in it):
  the files are canonical JSON of the declared format with exactly the declared fields and types;
  the commitment notice (published before the draw) is not a rehearsal, names a beacon date after
  its publication and hashes to what every record and the campaign manifest say; the manifest
  lists exactly the notice's plans, each record and whole frame hashing as listed; each record
  agrees with the notice (campaign, plan, mode, commitment, secret -> commitment, secret + beacon
  -> seed, beacon format); its whole frame is the one anchored in the notice before the draw;
  the four strata's ratios are the notice's ratio table, their quotas follow from their sizes,
  and add up; the selection has `quota` distinct codes of the frame in (u, c) order.
What an auditor checks as well, with the auditor package (per-tier frames): the package hashes to
the public manifest's auditor_manifest_sha256; the salted tier digest anchored in the notice;
the tier frames merge into the public whole frame; each stratum's selection is recomputed bit
for bit; the public selection is the strata's selections merged in (u, c) order.

Exit status 0 when every check holds, 1 otherwise, 2 for a usage error. Malformed input is a
failed check naming the file and field, never a crash.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import heapq
import itertools
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

ALGORITHM = "suicha-prn-sha256-v1"
NOTICE_FORMAT = "suicha-draw-commitment-v1"
RECORD_FORMAT = "suicha-draw-record-v2"
AUDIT_FORMAT = "suicha-draw-audit-v1"
MANIFEST_FORMAT = "suicha-draw-manifest-v1"
AUDIT_MANIFEST_FORMAT = "suicha-draw-audit-manifest-v1"
TIERS = ("A", "B", "C", "D")
ITEM_CLASSES = ("A", "B", "C")
MODES = ("coordinated", "independent")
NOTICE_FILE = "commitment.json"
MANIFEST_FILE = "draws/manifest.json"
AUDIT_MANIFEST_FILE = "audit/manifest.json"
MAX_JSON_BYTES = 64 * 2**20  # a record of the largest plan is a few MB
MAX_FRAME_BYTES = 1024 * 2**20  # a whole frame of 6.4 M codes is ~120 MB
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

_RED = r"(0[1-9]|[12][0-9]|3[0-3])"
BEACON_FORMATS: dict[str, str | None] = {
    "szse-close-2dp": r"[1-9][0-9]{0,6}\.[0-9]{2}",
    "cwl-ssq": rf"{_RED}( {_RED}){{5}} \+ (0[1-9]|1[0-6])",
    "text-v1": None,
}
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


# ---------------------------------------------------------------------------------------------
# The rule


def sha256_hex(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def canonical_bytes(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def quota(frame_size: int, ratio_bp: int) -> int:
    """min(N, ceil(N * bp / 10000)) with integers only: no float rounding can move it."""
    return min(frame_size, (frame_size * ratio_bp + 9999) // 10000)


def draw_seed(seed: str, plan_id: str, mode: str) -> str:
    """The prn_seed every target's number is hashed with."""
    return seed if mode == "coordinated" else f"{seed}|{plan_id}"


def prn(s: str, code: str) -> float:
    """u(c): the first 8 bytes of sha256("<prn_seed>|<c>"), big-endian, divided by 2**64."""
    return int.from_bytes(hashlib.sha256(f"{s}|{code}".encode()).digest()[:8], "big") / 2**64


def select(s: str, frame: list[str], n: int) -> list[str]:
    """The n codes with the smallest (u, c), in that order (a heap: memory grows with n)."""
    return [c for _, c in heapq.nsmallest(n, ((prn(s, c), c) for c in frame))]


def partition_problem(s: str, frame: list[str], selected: list[str],
                      strata: list[tuple[int, int]]) -> str | None:  # fmt: skip
    """Without tiers, the most the public can check of a selection: that SOME split of the
    frame into strata of the published sizes makes every stratum's selection its quota smallest
    u (necessary and sufficient for the published numbers to be consistent with the selection).

    Sort the frame by u. A stratum is "closed" once its quota of selected codes is seen; an
    unselected code must belong to a closed stratum (its stratum's selected codes all have a
    smaller u). For an order in which the strata close, filling them in that order closes each
    as early as possible; so the split exists iff for some order, at every point, the unselected
    codes seen so far fit in the closed strata. `strata`: (size, quota) per stratum."""
    us = sorted(prn(s, c) for c in frame)
    q = len(selected)
    ranks = sorted(bisect.bisect_left(us, prn(s, c)) for c in selected)
    # unselected codes seen before the (k+1)-th selected code; all of them once k = q
    before = [r - k for k, r in enumerate(ranks)] + [len(frame) - q]
    for order in set(itertools.permutations(range(len(strata)))):
        seen, spare, ok = 0, 0, True
        for i in order:
            size, quota_i = strata[i]
            # until this stratum closes, only the strata closed so far take unselected codes
            if quota_i > 0 and before[seen + quota_i - 1] > spare:
                ok = False
                break
            seen += quota_i
            spare += size - quota_i
        if ok and before[q] <= spare:
            return None
    return ("no split of the frame into strata of the published sizes makes each stratum's "
            "selection its smallest u: a code was drawn over one with a smaller u")  # fmt: skip


def tier_frames_digest(salt: str, plan_id: str, tier_sha: dict[str, str]) -> str:
    text = f"suicha-tier-frames-v1\n{salt}\n{plan_id}\n" + "\n".join(
        f"{t}:{tier_sha[t]}" for t in TIERS
    )
    return sha256_hex(text)


def beacon_problem(value: str, fmt: str) -> str | None:
    """Why `value` is not a clean beacon of format `fmt` (docs §1.1), or None."""
    if fmt not in BEACON_FORMATS:
        return f"unknown beacon format {fmt!r}"
    if not value:
        return "the beacon is empty"
    bad = [c for c in value if unicodedata.category(c) in _BAD_CATEGORIES]
    if bad:
        return f"the beacon holds a control or invisible character U+{ord(bad[0]):04X}"
    if len(value) > 200 or value != value.strip() or unicodedata.normalize("NFC", value) != value:
        return "the beacon is too long, padded or not NFC-normalised"
    pattern = BEACON_FORMATS[fmt]
    if pattern is not None and not re.fullmatch(pattern, value):
        return f"{value!r} is not a {fmt} value"
    if fmt == "cwl-ssq":
        reds = [int(x) for x in value.split(" + ")[0].split()]
        if reds != sorted(set(reds)):
            return f"{value!r}: the red balls are not strictly ascending"
    return None


# ---------------------------------------------------------------------------------------------
# Reading files: every problem becomes a message, never an exception


class Unreadable(Exception):
    """A file is missing, too large, not UTF-8, not JSON or not canonical."""


Reader = Callable[[str], bytes | None]


def read_bytes(read: Reader, rel: str, limit: int) -> bytes:
    try:
        data = read(rel)
    except Unreadable:
        raise
    except (OSError, ValueError) as e:
        raise Unreadable(f"{rel}: cannot be read ({e})") from None
    if data is None:
        raise Unreadable(f"{rel}: missing")
    if len(data) > limit:
        raise Unreadable(f"{rel}: {len(data):,} bytes, more than the {limit:,} allowed")
    return data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    dup = next((k for k in keys if keys.count(k) > 1), None)
    if dup is not None:
        raise ValueError(f"the key {dup!r} appears twice")
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: bytes, rel: str, canonical: bool = True) -> Any:
    """The document in `data`; Unreadable with a one-line reason when it is not one."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise Unreadable(f"{rel}: starts with a UTF-8 byte-order mark (not canonical JSON)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unreadable(f"{rel}: not UTF-8 (byte {e.start})") from None
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise Unreadable(f"{rel}: nested too deeply") from None
    except ValueError as e:
        raise Unreadable(f"{rel}: not JSON ({str(e).splitlines()[0][:200]})") from None
    if canonical:
        try:
            same = canonical_bytes(obj) == data
        except (ValueError, RecursionError):
            same = False
        if not same:
            raise Unreadable(f"{rel}: not canonical JSON (sorted keys, no spaces, no newline)")
    return obj


def parse_frame(data: bytes, rel: str) -> list[str]:
    """A frame file's codes; Unreadable unless sorted, unique, UTF-8, no trailing newline."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unreadable(f"{rel}: not UTF-8 (byte {e.start})") from None
    if not text:
        return []
    codes = text.split("\n")
    if codes[-1] == "":
        raise Unreadable(f"{rel}: ends with a newline (a frame file has none)")
    for i in range(1, len(codes)):
        if codes[i - 1] >= codes[i]:
            raise Unreadable(
                f"{rel}: line {i + 1} ({codes[i][:40]!r}) is not after line {i} "
                f"({codes[i - 1][:40]!r}): not sorted ascending and unique"
            )
    if codes[0] == "":
        raise Unreadable(f"{rel}: line 1 is empty")
    return codes


# ---------------------------------------------------------------------------------------------
# Schemas: exactly these fields, of these types


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "an integer", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(value), type(value).__name__)  # fmt: skip


def _is_time(v: str) -> bool:
    try:
        t = datetime.fromisoformat(v)
    except ValueError:
        return False
    return t.tzinfo is not None


def _is_date(v: str) -> bool:
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", v))


HEX64, HEX32 = ("hex", 64), ("hex", 32)
STR, INT, BOOL, TIME, DATE = "str", "int", "bool", "time", "date"
NULL_STR = ("or_null", STR)
NULL_HEX64 = ("or_null", HEX64)
TIER_RATIOS = ("tiers", INT)
RATIO_TABLE = {"default": ("map", ITEM_CLASSES, TIER_RATIOS), "overrides": ("map", None,
                                                                          TIER_RATIOS)}  # fmt: skip

NOTICE_SCHEMA = {
    "format": STR, "algorithm": STR, "campaign": STR, "commitment_id": STR,
    "supersedes": NULL_STR, "rehearsal": BOOL, "mode": STR, "seed_commitment": HEX64,
    "beacon": {"source": STR, "format": STR, "date": DATE}, "published_at": TIME,
    "ratio_table": RATIO_TABLE, "ratio_table_sha256": HEX64,
    "plans": ("list", {"plan_id": STR, "item_class": STR, "frame_size": INT,
                       "frame_sha256": HEX64, "tier_frames_digest": HEX64}),
}  # fmt: skip
_SHARED = {
    "format": STR, "algorithm": STR, "campaign": STR, "plan_id": STR, "draw_id": STR,
    "mode": STR, "rehearsal": BOOL, "commitment_id": STR, "commitment_sha256": HEX64,
    "seed_commitment": HEX64, "secret": STR, "beacon": STR, "seed": HEX64, "prn_seed": STR,
    "supersedes": NULL_STR, "reason": NULL_STR,
}  # fmt: skip
RECORD_SCHEMA = {
    **_SHARED, "commitment_published_at": TIME, "committed_at": TIME, "frame_file": STR,
    "frame_size": INT, "frame_sha256": HEX64,
    "strata": ("list", {"ratio_bp": INT, "frame_size": INT, "quota": INT}, 4),
    "quota": INT, "selected": ("list", STR),
}  # fmt: skip
AUDIT_SCHEMA = {
    **_SHARED, "prn": STR, "tier_salt": HEX32, "tier_frames_digest": HEX64,
    "public_record_sha256": HEX64,
    "strata": ("list", {"tier": STR, "ratio_bp": INT, "frame_size": INT, "frame_sha256": HEX64,
                        "frame_file": STR, "quota": INT, "selected": ("list", STR)}, 4),
}  # fmt: skip
MANIFEST_SCHEMA = {
    "format": STR, "campaign": STR, "rehearsal": BOOL, "commitment_id": STR,
    "commitment_sha256": HEX64, "commitment_file": STR,
    "plans": ("list", {"plan_id": STR, "draw_id": NULL_STR, "record_file": NULL_STR,
                       "record_sha256": NULL_HEX64, "frame_file": STR, "frame_sha256": HEX64,
                       "frame_size": INT}),
    "auditor_manifest_sha256": HEX64,
}  # fmt: skip
AUDIT_MANIFEST_SCHEMA = {
    "format": STR, "campaign": STR, "commitment_sha256": HEX64,
    "files": ("list", {"path": STR, "sha256": HEX64}),
}  # fmt: skip


def schema_problems(value: Any, spec: Any, path: str = "$") -> list[str]:
    """Every way `value` departs from `spec` (types, required and unknown fields), by path."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {_type_name(value)}"]
        out = [f"{path}.{k}: missing" for k in spec if k not in value]
        out += [f"{path}.{k}: unknown field" for k in value if k not in spec]
        for k, sub in spec.items():
            if k in value:
                out += schema_problems(value[k], sub, f"{path}.{k}")
        return out
    if isinstance(spec, tuple) and spec[0] == "or_null":
        return [] if value is None else schema_problems(value, spec[1], path)
    if isinstance(spec, tuple) and spec[0] == "hex":
        if not isinstance(value, str) or not re.fullmatch(f"[0-9a-f]{{{spec[1]}}}", value):
            return [f"{path}: expected {spec[1]} lowercase hex digits, got {_short(value)}"]
        return []
    if isinstance(spec, tuple) and spec[0] == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {_type_name(value)}"]
        if len(spec) > 2 and len(value) != spec[2]:
            return [f"{path}: expected {spec[2]} entries, got {len(value)}"]
        out = []
        for i, item in enumerate(value):
            out += schema_problems(item, spec[1], f"{path}[{i}]")
            if len(out) > 20:
                return out[:20] + [f"{path}: … more problems"]
        return out
    if isinstance(spec, tuple) and spec[0] in ("map", "tiers"):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {_type_name(value)}"]
        keys = TIERS if spec[0] == "tiers" else spec[1]
        sub = spec[1] if spec[0] == "tiers" else spec[2]
        out = []
        if keys is not None:
            out += [f"{path}.{k}: missing" for k in keys if k not in value]
            out += [f"{path}.{k}: unknown field" for k in value if k not in keys]
        for k, v in value.items():
            out += schema_problems(v, sub, f"{path}.{k}")
        return out
    if spec == ("any",):
        return []
    checks = {
        STR: lambda v: isinstance(v, str),
        INT: lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 2**53,
        BOOL: lambda v: isinstance(v, bool),
        TIME: lambda v: isinstance(v, str) and _is_time(v),
        DATE: lambda v: isinstance(v, str) and _is_date(v),
    }
    if not checks[spec](value):
        wanted = {STR: "a string", INT: "a non-negative integer", BOOL: "true or false",
                  TIME: "a time with its UTC offset", DATE: "a date YYYY-MM-DD"}[spec]  # fmt: skip
        return [f"{path}: expected {wanted}, got {_short(value)}"]
    return []


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return f"{_type_name(value)} {text[:60]}{'…' if len(text) > 60 else ''}"


# ---------------------------------------------------------------------------------------------
# The report


class Report:
    """The list of checks: {check, plan, stratum, ok, detail}."""

    def __init__(self) -> None:
        self.checks: list[dict[str, Any]] = []

    def add(self, check: str, ok: bool, detail: str, plan: str | None = None,
            stratum: str | None = None) -> bool:  # fmt: skip
        self.checks.append({"check": check, "plan": plan, "stratum": stratum, "ok": bool(ok),
                            "detail": detail})  # fmt: skip
        return bool(ok)

    def fail(self, check: str, detail: str, plan: str | None = None, stratum: str | None = None):
        return self.add(check, False, detail, plan, stratum)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c["ok"] for c in self.checks)

    def result(self, **extra: Any) -> dict[str, Any]:
        return {"ok": self.ok, **extra, "checks": self.checks}


def load(report: Report, read: Reader, rel: str, schema: dict, fmt: str, check: str,
         plan: str | None = None) -> dict | None:  # fmt: skip
    """A JSON document checked for canonical form, schema, format and algorithm; None (with
    the failures reported) when it cannot be used."""
    try:
        doc = parse_json(read_bytes(read, rel, MAX_JSON_BYTES), rel)
    except Unreadable as e:
        report.fail(check, str(e), plan)
        return None
    problems = schema_problems(doc, schema)
    if problems:
        report.fail(check, f"{rel}: " + "; ".join(problems[:8]), plan)
        return None
    if doc["format"] != fmt:
        report.fail(check, f"{rel}: format {doc['format']!r}, expected {fmt!r}", plan)
        return None
    if "algorithm" in doc and doc["algorithm"] != ALGORITHM:
        report.fail(check, f"{rel}: algorithm {doc['algorithm']!r}, expected {ALGORITHM!r}",
                    plan)  # fmt: skip
        return None
    report.add(check, True, f"{rel}: canonical {fmt}, every field present and typed", plan)
    return doc


def plan_ratio(notice: dict, plan: dict, tier: str) -> int | None:
    over = notice["ratio_table"]["overrides"].get(plan["plan_id"])
    if over is not None:
        return over[tier]
    table = notice["ratio_table"]["default"].get(plan["item_class"])
    return None if table is None else table[tier]


# ---------------------------------------------------------------------------------------------
# The public package


def check_notice(report: Report, read: Reader) -> tuple[dict | None, str | None]:
    """The commitment notice: schema, not a rehearsal, beacon after publication, ratio hash."""
    notice = load(report, read, NOTICE_FILE, NOTICE_SCHEMA, NOTICE_FORMAT, "notice")
    if notice is None:
        return None, None
    digest = sha256_hex(canonical_bytes(notice))
    report.add("rehearsal", not notice["rehearsal"],
               "a real campaign" if not notice["rehearsal"]
               else "rehearsal — not a real draw (a person supplied the secret)")  # fmt: skip
    published = datetime.fromisoformat(notice["published_at"]).date()
    beacon_date = date.fromisoformat(notice["beacon"]["date"])
    report.add("beacon_date", beacon_date > published,
               f"beacon date {beacon_date} is after the notice's publication {published}"
               if beacon_date > published else
               f"beacon date {beacon_date} is not after the notice's publication {published}: "
               "the beacon could have been known when the secret was fixed")  # fmt: skip
    fmt_problem = (None if notice["beacon"]["format"] in BEACON_FORMATS
                   else f"unknown beacon format {notice['beacon']['format']!r}")  # fmt: skip
    report.add("beacon_format", fmt_problem is None,
               fmt_problem or f"beacon format {notice['beacon']['format']}")  # fmt: skip
    ratio_sha = sha256_hex(canonical_bytes(notice["ratio_table"]))
    report.add("ratio_table", ratio_sha == notice["ratio_table_sha256"],
               "ratio_table_sha256 matches the ratio table" if ratio_sha ==
               notice["ratio_table_sha256"] else
               f"the ratio table hashes to {ratio_sha}, the notice says "
               f"{notice['ratio_table_sha256']}")  # fmt: skip
    ids = [p["plan_id"] for p in notice["plans"]]
    report.add("notice_plans", ids == sorted(set(ids)) and notice["mode"] in MODES and all(
        p["item_class"] in ITEM_CLASSES for p in notice["plans"]),
        f"{len(ids)} plans, sorted and unique; mode {notice['mode']}" if ids == sorted(set(ids))
        else "the notice's plans are not sorted and unique")  # fmt: skip
    bad_bp = [f"{k}.{t}" for k, row in [*notice["ratio_table"]["default"].items(),
                                        *notice["ratio_table"]["overrides"].items()]
              for t, bp in row.items() if not 1 <= bp <= 10000]  # fmt: skip
    if bad_bp:
        report.fail("ratio_table", f"ratios outside 1..10000 bp: {', '.join(bad_bp[:5])}")
    return notice, digest


def check_manifest(report: Report, read: Reader, notice: dict, notice_sha: str,
                   only_plan: str | None = None) -> dict | None:  # fmt: skip
    manifest = load(report, read, MANIFEST_FILE, MANIFEST_SCHEMA, MANIFEST_FORMAT, "manifest")
    if manifest is None:
        return None
    same = {k: (manifest[k], notice[k]) for k in ("campaign", "commitment_id", "rehearsal")
            if manifest[k] != notice[k]}  # fmt: skip
    same |= {"commitment_sha256": (manifest["commitment_sha256"], notice_sha)} if manifest[
        "commitment_sha256"] != notice_sha else {}  # fmt: skip
    if manifest["commitment_file"] != NOTICE_FILE:
        same["commitment_file"] = (manifest["commitment_file"], NOTICE_FILE)
    report.add(
        "manifest_notice",
        not same,
        "the manifest names this notice (campaign, id, hash)"
        if not same
        else "; ".join(f"{k} is {a!r}, the notice gives {b!r}" for k, (a, b) in same.items()),
    )
    listed = [p["plan_id"] for p in manifest["plans"]]
    wanted = [p["plan_id"] for p in notice["plans"]]
    missing, extra = sorted(set(wanted) - set(listed)), sorted(set(listed) - set(wanted))
    ok = listed == wanted
    report.add(
        "manifest_plans",
        ok,
        f"exactly the notice's {len(wanted)} plans"
        if ok
        else "; ".join(
            filter(
                None,
                [
                    f"plans missing: {', '.join(missing[:5])}" if missing else "",
                    f"plans not in the notice: {', '.join(extra[:5])}" if extra else "",
                    "plans repeated or out of order" if not missing and not extra else "",
                ],
            )
        ),
    )
    by_plan = {p["plan_id"]: p for p in notice["plans"]}
    for entry in manifest["plans"]:
        pid, anchored = entry["plan_id"], by_plan.get(entry["plan_id"])
        if anchored is None or only_plan not in (None, pid):
            continue
        want_frame = f"frames/{pid}.txt"
        want_record = None if entry["draw_id"] is None else f"draws/{pid}.json"
        problems = []
        if entry["frame_file"] != want_frame:
            problems.append(f"frame_file {entry['frame_file']!r}, expected {want_frame!r}")
        if entry["record_file"] != want_record:
            problems.append(f"record_file {entry['record_file']!r}, expected {want_record!r}")
        if (entry["draw_id"] is None) != (entry["record_sha256"] is None):
            problems.append("draw_id and record_sha256 must both be given or both be null")
        if (entry["frame_sha256"], entry["frame_size"]) != (
            anchored["frame_sha256"],
            anchored["frame_size"],
        ):
            problems.append("its frame is not the one anchored in the notice before the draw")
        report.add("manifest_entry", not problems, "; ".join(problems) or "names and hashes",
                   pid)  # fmt: skip
    return manifest


def check_record(report: Report, read: Reader, notice: dict, notice_sha: str, entry: dict,
                 frame_codes: Callable[[str], list[str] | None],
                 thorough: bool = True) -> dict | None:  # fmt: skip
    """One plan's public record against the notice, the manifest entry and its whole frame."""
    pid = entry["plan_id"]
    rel = f"draws/{pid}.json"
    try:
        raw = read_bytes(read, rel, MAX_JSON_BYTES)
    except Unreadable as e:
        report.fail("record", str(e), pid)
        return None
    digest = sha256_hex(raw)
    report.add(
        "record_sha256",
        digest == entry["record_sha256"],
        f"{rel} hashes as the manifest says"
        if digest == entry["record_sha256"]
        else f"{rel} hashes to {digest}, the manifest says {entry['record_sha256']}",
        pid,
    )
    record = load(report, lambda _r: raw, rel, RECORD_SCHEMA, RECORD_FORMAT, "record", pid)
    if record is None:
        return None
    anchored = next(p for p in notice["plans"] if p["plan_id"] == pid)
    expect = {
        "plan_id": pid, "campaign": notice["campaign"], "mode": notice["mode"],
        "rehearsal": notice["rehearsal"], "commitment_id": notice["commitment_id"],
        "commitment_sha256": notice_sha, "seed_commitment": notice["seed_commitment"],
        "commitment_published_at": notice["published_at"], "draw_id": entry["draw_id"],
        "frame_file": f"frames/{pid}.txt",
    }  # fmt: skip
    wrong = [f"{k} is {record[k]!r}, expected {v!r}" for k, v in expect.items() if record[k] != v]
    report.add("record_fields", not wrong,
               "plan, campaign, mode, commitment and file names agree with the notice and the "
               "manifest" if not wrong else "; ".join(wrong), pid)  # fmt: skip
    secret, beacon = record["secret"], record["beacon"]
    report.add("commitment", sha256_hex(secret) == record["seed_commitment"],
               "sha256(secret) equals the seed commitment published before the draw"
               if sha256_hex(secret) == record["seed_commitment"] else
               f"sha256(secret) is {sha256_hex(secret)}, the commitment is "
               f"{record['seed_commitment']}", pid)  # fmt: skip
    derived = sha256_hex(f"{secret}|{beacon}")
    report.add(
        "seed",
        derived == record["seed"],
        "seed equals sha256(secret|beacon)"
        if derived == record["seed"]
        else f"sha256(secret|beacon) is {derived}, the record says {record['seed']}",
        pid,
    )
    problem = beacon_problem(beacon, notice["beacon"]["format"])
    report.add("beacon", problem is None, problem or f"{beacon!r} is a "
               f"{notice['beacon']['format']} value", pid)  # fmt: skip
    s = draw_seed(record["seed"], pid, record["mode"])
    report.add(
        "prn_seed",
        record["prn_seed"] == s,
        f"prn_seed follows the {record['mode']} mode"
        if record["prn_seed"] == s
        else f"prn_seed is {record['prn_seed']!r}, the {record['mode']} mode gives {s!r}",
        pid,
    )
    committed = datetime.fromisoformat(record["committed_at"]).date()
    beacon_date = date.fromisoformat(notice["beacon"]["date"])
    report.add(
        "committed_at",
        committed >= beacon_date or notice["rehearsal"],
        f"committed {committed}, not before the beacon date {beacon_date}"
        if committed >= beacon_date
        else f"committed {committed}, before the beacon date {beacon_date}",
        pid,
    )

    # whole frame: as anchored in the notice before the draw
    whole = (record["frame_size"], record["frame_sha256"])
    anchors = {"the notice": (anchored["frame_size"], anchored["frame_sha256"]),
               "the manifest": (entry["frame_size"], entry["frame_sha256"])}  # fmt: skip
    off = [name for name, v in anchors.items() if v != whole]
    report.add("frame_anchor", not off,
               "the record's frame is the one anchored in the notice before the draw"
               if not off else f"the record's frame size/sha256 differ from "
               f"{' and '.join(off)} (the frame anchored before the draw)",
               pid)  # fmt: skip
    codes = frame_codes(pid)
    frame_rel = f"frames/{pid}.txt"
    if codes is not None:
        report.add(
            "frame_size",
            len(codes) == record["frame_size"],
            f"{len(codes):,} codes in {frame_rel}"
            + (
                ""
                if len(codes) == record["frame_size"]
                else f", the record says {record['frame_size']:,}"
            ),
            pid,
        )

    # strata: the notice's ratios, quotas from sizes, sums
    problems = []
    for tier, st in zip(TIERS, record["strata"], strict=True):
        bp = plan_ratio(notice, anchored, tier)
        if st["ratio_bp"] != bp:
            problems.append(f"stratum {TIERS.index(tier) + 1}: ratio {st['ratio_bp']} bp, the "
                            f"notice's ratio table gives {bp} bp")  # fmt: skip
        expected = quota(st["frame_size"], st["ratio_bp"])
        if st["quota"] != expected:
            problems.append(f"stratum {TIERS.index(tier) + 1}: quota {st['quota']}, but "
                            f"min({st['frame_size']}, ceil({st['frame_size']} × {st['ratio_bp']}"
                            f" / 10000)) = {expected}")  # fmt: skip
    sizes = sum(st["frame_size"] for st in record["strata"])
    quotas = sum(st["quota"] for st in record["strata"])
    if sizes != record["frame_size"]:
        problems.append(f"the strata's sizes add up to {sizes}, the frame has "
                        f"{record['frame_size']}")  # fmt: skip
    if quotas != record["quota"]:
        problems.append(f"the strata's quotas add up to {quotas}, the record says "
                        f"{record['quota']}")  # fmt: skip
    report.add("strata", not problems,
               "four strata: the notice's ratios, quotas = min(N, ceil(N × bp / 10000)), sums "
               "agree" if not problems else "; ".join(problems), pid)  # fmt: skip

    # selection: count, distinct, in the frame, in (u, c) order
    sel = record["selected"]
    problems = []
    if len(sel) != record["quota"]:
        problems.append(f"{len(sel)} codes selected, quota {record['quota']}")
    if len(set(sel)) != len(sel):
        problems.append("a code is selected twice")
    if codes is not None:
        members = set(codes)
        outside = [c for c in sel if c not in members]
        if outside:
            problems.append(f"not in the frame: {', '.join(outside[:5])}")
    keys = [(prn(s, c), c) for c in sel]
    wrong = next((i for i in range(1, len(keys)) if keys[i - 1] >= keys[i]), None)
    if wrong is not None:
        problems.append(f"not in (u, c) order at position {wrong + 1} ({sel[wrong]} after "
                        f"{sel[wrong - 1]})")  # fmt: skip
    report.add("selection", not problems,
               f"{len(sel):,} distinct codes of the frame, in (u, c) order" if not problems
               else "; ".join(problems), pid)  # fmt: skip
    if thorough and codes is not None and not problems and sizes == record["frame_size"]:
        split = [(st["frame_size"], st["quota"]) for st in record["strata"]]
        problem = partition_problem(s, codes, sel, split)
        report.add("selection_strata", problem is None,
                   "the selection is each stratum's smallest u for some split of the frame into "
                   "strata of the published sizes (which split is the auditor's check)"
                   if problem is None else problem, pid)  # fmt: skip
    return record


def verify_package(read: Reader, only_plan: str | None = None,
                   audit_read: Reader | None = None,
                   commitment_sha256: str | None = None,
                   thorough: bool = True) -> dict[str, Any]:  # fmt: skip
    """Every public check (and, with `audit_read`, every auditor check) on a package.

    `read(relative path)` returns a file's bytes or None. `only_plan` restricts the per-plan
    checks to one plan (the campaign-level checks always run). `commitment_sha256`: the notice's
    hash as seen when it was published before the draw, if the caller noted it."""
    report = Report()
    notice, notice_sha = check_notice(report, read)
    if notice is None:
        return report.result(plans=0)
    if commitment_sha256 is not None:
        want = commitment_sha256.strip().lower()
        report.add(
            "notice_seen",
            notice_sha == want,
            "the notice is the one published before the draw"
            if notice_sha == want
            else f"the notice hashes to {notice_sha}, not {want} as published before the draw",
        )
    manifest = check_manifest(report, read, notice, notice_sha, only_plan)
    if manifest is None:
        return report.result(plans=0)
    frames: dict[str, list[str] | None] = {}

    def frame_codes(pid: str) -> list[str] | None:
        if pid not in frames:
            frames[pid] = None
            entry = next(p for p in manifest["plans"] if p["plan_id"] == pid)
            rel = f"frames/{pid}.txt"
            try:
                data = read_bytes(read, rel, MAX_FRAME_BYTES)
                digest = sha256_hex(data)
                if report.add("frame_sha256", digest == entry["frame_sha256"],
                              f"{rel} hashes as anchored" if digest == entry["frame_sha256"]
                              else f"{rel} hashes to {digest}, anchored as "
                              f"{entry['frame_sha256']}", pid):  # fmt: skip
                    frames[pid] = parse_frame(data, rel)
            except Unreadable as e:
                report.fail("frame", str(e), pid)
        return frames[pid]

    entries = [p for p in manifest["plans"] if p["plan_id"] in {q["plan_id"] for q in
                                                               notice["plans"]}]  # fmt: skip
    if only_plan is not None:
        entries = [p for p in entries if p["plan_id"] == only_plan]
        if not entries:
            report.fail("record", f"plan {only_plan!r} is not in the campaign manifest")
    records = {}
    for entry in entries:
        if entry["draw_id"] is None:
            report.add("record", True, "no draw in force for this plan", entry["plan_id"])
            continue
        rec = check_record(report, read, notice, notice_sha, entry, frame_codes, thorough)
        if rec is not None:
            records[entry["plan_id"]] = rec
    if audit_read is not None:
        check_auditor(report, audit_read, notice, manifest, records, read, frame_codes)
    drawn = sum(1 for e in entries if e["draw_id"] is not None)
    return report.result(plans=drawn, campaign=notice["campaign"])


# ---------------------------------------------------------------------------------------------
# The auditor package


def check_auditor(report: Report, audit_read: Reader, notice: dict, manifest: dict,
                  records: dict[str, dict], public_read: Reader,
                  frame_codes: Callable[[str], list[str] | None]) -> None:  # fmt: skip
    """§5.2: the auditor package binds to the public one and recomputes every selection."""
    try:
        raw = read_bytes(audit_read, AUDIT_MANIFEST_FILE, MAX_JSON_BYTES)
    except Unreadable as e:
        report.fail("auditor_manifest", str(e))
        return
    digest = sha256_hex(raw)
    if not report.add("auditor_manifest", digest == manifest["auditor_manifest_sha256"],
                      "the auditor manifest hashes to the public manifest's "
                      "auditor_manifest_sha256" if digest == manifest["auditor_manifest_sha256"]
                      else f"{AUDIT_MANIFEST_FILE} hashes to {digest}, the public manifest says "
                      f"{manifest['auditor_manifest_sha256']}"):  # fmt: skip
        return
    amanifest = load(report, lambda _r: raw, AUDIT_MANIFEST_FILE, AUDIT_MANIFEST_SCHEMA,
                     AUDIT_MANIFEST_FORMAT, "auditor_manifest")  # fmt: skip
    if amanifest is None:
        return
    listed = {f["path"]: f["sha256"] for f in amanifest["files"]}
    bad = []
    for path, sha in sorted(listed.items()):
        try:
            if sha256_hex(read_bytes(audit_read, path, MAX_FRAME_BYTES)) != sha:
                bad.append(f"{path} differs from its entry")
        except Unreadable as e:
            bad.append(str(e))
    report.add("auditor_files", not bad and amanifest["campaign"] == notice["campaign"],
               f"{len(listed)} auditor files hash to their entries" if not bad
               else "; ".join(bad[:5]))  # fmt: skip
    for pid, record in sorted(records.items()):
        rel = f"audit/draws/{pid}.json"
        if rel not in listed:
            report.fail("auditor_record", f"{rel} is not in the auditor manifest", pid)
            continue
        audit = load(report, audit_read, rel, AUDIT_SCHEMA, AUDIT_FORMAT, "auditor_record", pid)
        if audit is not None:
            check_audit_record(report, audit_read, notice, record, audit, frame_codes,
                               public_read)  # fmt: skip


def check_audit_record(report: Report, audit_read: Reader, notice: dict, record: dict,
                       audit: dict, frame_codes: Callable[[str], list[str] | None],
                       public_read: Reader) -> None:  # fmt: skip
    pid = record["plan_id"]
    public_sha = sha256_hex(canonical_bytes(record))
    shared = [k for k in _SHARED if k != "format" and audit[k] != record[k]]
    problems = [f"{k} differs from the public record" for k in shared]
    if audit["public_record_sha256"] != public_sha:
        problems.append("public_record_sha256 is not the public record's hash")
    anchored = next(p for p in notice["plans"] if p["plan_id"] == pid)
    if audit["tier_frames_digest"] != anchored["tier_frames_digest"]:
        problems.append("tier_frames_digest differs from the notice's")
    report.add("auditor_binding", not problems,
               "the auditor record is bound to the public record and the notice"
               if not problems else "; ".join(problems), pid)  # fmt: skip
    tiers = [st["tier"] for st in audit["strata"]]
    if tiers != list(TIERS):
        report.fail("auditor_strata", f"strata tiers {tiers}, expected {list(TIERS)}", pid)
        return
    tier_codes: dict[str, list[str]] = {}
    tier_sha: dict[str, str] = {}
    for st in audit["strata"]:
        t, want = st["tier"], f"frames/{pid}/{st['tier']}.txt"
        try:
            if st["frame_file"] != want:
                raise Unreadable(f"frame_file {st['frame_file']!r}, expected {want!r}")
            data = read_bytes(audit_read, want, MAX_FRAME_BYTES)
            tier_sha[t] = sha256_hex(data)
            tier_codes[t] = parse_frame(data, want)
        except Unreadable as e:
            report.fail("tier_frame", str(e), pid, t)
    if len(tier_codes) < 4:
        return
    digest = tier_frames_digest(audit["tier_salt"], pid, tier_sha)
    report.add("tier_digest", digest == anchored["tier_frames_digest"],
               "the tier frames and salt reproduce the digest anchored in the notice before the "
               "draw" if digest == anchored["tier_frames_digest"] else
               f"the tier frames and salt give {digest}, the notice anchored "
               f"{anchored['tier_frames_digest']}", pid)  # fmt: skip
    merged = sorted(c for t in TIERS for c in tier_codes[t])
    whole = frame_codes(pid)
    same = whole is not None and merged == whole and len(set(merged)) == len(merged)
    report.add(
        "tier_partition",
        same,
        "the four tier frames are disjoint and merge into the public whole frame"
        if same
        else "the tier frames do not merge into the public whole frame (or overlap)",
        pid,
    )
    s = draw_seed(record["seed"], pid, record["mode"])
    picks: list[tuple[float, str]] = []
    for i, st in enumerate(audit["strata"]):
        t = st["tier"]
        pub = record["strata"][i]
        problems = []
        if (st["frame_size"], st["frame_sha256"]) != (len(tier_codes[t]), tier_sha[t]):
            problems.append("frame_size/frame_sha256 do not match the tier frame file")
        if st["ratio_bp"] != plan_ratio(notice, anchored, t):
            problems.append(f"ratio {st['ratio_bp']} bp is not the notice's")
        if st["quota"] != quota(st["frame_size"], st["ratio_bp"]):
            problems.append(f"quota {st['quota']} does not follow from size and ratio")
        if (pub["ratio_bp"], pub["frame_size"], pub["quota"]) != (
                st["ratio_bp"], st["frame_size"], st["quota"]):  # fmt: skip
            problems.append("the public record's numbers for this stratum differ")
        drawn = select(s, tier_codes[t], st["quota"])
        if drawn != st["selected"]:
            diff = next((j for j, (a, b) in enumerate(zip(drawn, st["selected"], strict=False))
                         if a != b),
                        min(len(drawn), len(st["selected"])))  # fmt: skip
            problems.append(
                f"the selection differs from the recomputed one at position "
                f"{diff + 1} ({len(st['selected'])} given, {len(drawn)} drawn)"
            )
        picks += [(prn(s, c), c) for c in drawn]
        report.add("recompute", not problems,
                   f"{len(drawn):,} of {len(tier_codes[t]):,} recomputed bit for bit"
                   if not problems else "; ".join(problems), pid, t)  # fmt: skip
    merged_sel = [c for _, c in sorted(picks)]
    report.add("public_selection", merged_sel == record["selected"],
               "the public selection is the strata's selections in (u, c) order"
               if merged_sel == record["selected"] else
               "the public selection is not the strata's recomputed selections in (u, c) order",
               pid)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Legacy: one record of the first format (suicha-prn-sha256-v1 records without a `format` key,
# per-tier frame files next to them). Kept so records published before suicha-draw-record-v2
# can still be re-run; such packages carry tiers and no pre-draw anchors, so only the record's
# internal consistency can be checked.

LEGACY_SCHEMA = {
    "algorithm": STR, "campaign": ("any",), "plan_id": STR, "mode": STR, "seed_commitment": STR,
    "secret": STR, "beacon": STR, "seed": STR,
    "strata": ("list", {"tier": STR, "ratio_bp": INT, "frame_size": INT, "frame_sha256": HEX64,
                        "frame_file": STR, "quota": INT, "selected": ("list", STR)}),
}  # fmt: skip


def verify_legacy_record(record: Any, read: Reader) -> dict[str, Any]:
    """Every check on one legacy record; read(relative path) gives a frame file's bytes."""
    report = Report()
    if not isinstance(record, dict) or not isinstance(record.get("strata"), list):
        report.fail("fields", "not a draw record: an object with a strata list")
        return report.result(plan_id=None)
    problems = schema_problems(record, LEGACY_SCHEMA, "$") if isinstance(record, dict) else [
        f"$: expected an object, got {_type_name(record)}"]  # fmt: skip
    problems = [p for p in problems if not p.endswith("unknown field")]
    if problems:
        report.fail("fields", "; ".join(problems[:8]))
        return report.result(plan_id=record.get("plan_id") if isinstance(record, dict) else None)
    pid = record["plan_id"]
    report.add("algorithm", record["algorithm"] == ALGORITHM, repr(record["algorithm"]))
    report.add("mode", record["mode"] in MODES, repr(record["mode"]))
    secret, beacon = record["secret"], record["beacon"]
    report.add("commitment", sha256_hex(secret) == record["seed_commitment"],
               "sha256(secret) equals seed_commitment" if sha256_hex(secret) ==
               record["seed_commitment"] else f"sha256(secret) is {sha256_hex(secret)}, record "
               f"says {record['seed_commitment']}")  # fmt: skip
    derived = sha256_hex(f"{secret}|{beacon}")
    report.add("seed", derived == record["seed"], "seed equals sha256(secret|beacon)"
               if derived == record["seed"] else
               f"sha256(secret|beacon) is {derived}, record says {record['seed']}")  # fmt: skip
    tiers = [st["tier"] for st in record["strata"]]
    report.add("strata", len(tiers) == len(set(tiers)) > 0, f"{len(tiers)} strata: "
               f"{', '.join(tiers)}")  # fmt: skip
    s = draw_seed(record["seed"], pid, record["mode"])
    for st in record["strata"]:
        t, n = st["tier"], st["quota"]
        expected = quota(st["frame_size"], st["ratio_bp"])
        report.add("quota", n == expected, f"quota {n}, min({st['frame_size']}, "
                   f"ceil({st['frame_size']} × {st['ratio_bp']} / 10000)) = {expected}",
                   pid, t)  # fmt: skip
        try:
            data = read_bytes(read, st["frame_file"], MAX_FRAME_BYTES)
        except Unreadable as e:
            report.fail("frame", str(e), pid, t)
            report.fail("selection", "not checked: no frame file", pid, t)
            continue
        digest = sha256_hex(data)
        report.add("frame_sha256", digest == st["frame_sha256"],
                   f"{st['frame_file']}: sha256 matches" if digest == st["frame_sha256"]
                   else f"{st['frame_file']}: sha256 is {digest}, record says "
                   f"{st['frame_sha256']}", pid, t)  # fmt: skip
        try:
            frame = parse_frame(data, st["frame_file"])
        except Unreadable as e:
            report.fail("frame_order", str(e), pid, t)
            continue
        report.add("frame_size", len(frame) == st["frame_size"],
                   f"{len(frame)} codes in {st['frame_file']}, record says {st['frame_size']}",
                   pid, t)  # fmt: skip
        drawn = select(s, frame, n)
        same = drawn == st["selected"]
        extra = sorted(set(st["selected"]) - set(drawn))
        lacking = sorted(set(drawn) - set(st["selected"]))
        report.add("selection", same, f"{len(drawn)} drawn codes match, in order" if same
                   else "; ".join(filter(None, [
                       f"published but not drawn: {', '.join(extra[:5])}" if extra else "",
                       f"drawn but not published: {', '.join(lacking[:5])}" if lacking else "",
                       "same codes, other order" if not extra and not lacking else ""])),
                   pid, t)  # fmt: skip
    return report.result(plan_id=pid)


def verify_record(record: Any, read: Reader) -> dict[str, Any]:
    """A record of either format on its own (legacy records fully; others need the package)."""
    return verify_legacy_record(record, read)


def verify_file(record_path: Path, base: Path | None = None) -> dict[str, Any]:
    """A record on disk: a legacy record with its frames, or one plan of a v2 package."""
    if _is_legacy(Path(record_path)):
        return verify_legacy_file(Path(record_path), base)
    return verify_path(Path(record_path))


def verify_legacy_file(record_path: Path, base: Path | None = None) -> dict[str, Any]:
    """A legacy record on disk; frame files next to it or in its parent folder."""
    here = Path(record_path).parent
    data = read_bytes(folder_reader(here), Path(record_path).name, MAX_JSON_BYTES)
    record = parse_json(data, str(record_path), canonical=False)
    root = Path(base) if base is not None else here.parent if here.name == "draws" else here
    result = verify_legacy_record(record, folder_reader(root))
    result["package"] = str(record_path)
    return result


# ---------------------------------------------------------------------------------------------
# Files on disk and the command line


def folder_reader(root: Path) -> Reader:
    """read(relative path) under `root`; paths that climb out are refused; size checked first."""
    root = Path(root)

    def read(relative: str) -> bytes | None:
        rel = PurePosixPath(relative)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise Unreadable(f"{relative}: not a path inside the package")
        path = root.joinpath(*rel.parts)
        if not path.is_file():
            return None
        size = path.stat().st_size
        if size > MAX_FRAME_BYTES:
            raise Unreadable(f"{relative}: {size:,} bytes, more than the {MAX_FRAME_BYTES:,} "
                             "allowed")  # fmt: skip
        return path.read_bytes()

    return read


def locate(target: Path) -> tuple[Path, str | None]:
    """(package root, plan) for a package folder or one record draws/<plan>.json in it."""
    target = Path(target)
    if target.is_dir():
        return target, None
    if target.suffix == ".json" and target.parent.name == "draws" and target.name != (
            "manifest.json"):  # fmt: skip
        return target.parent.parent, target.stem
    if target.name == NOTICE_FILE:
        return target.parent, None
    raise Unreadable(f"{target}: give the package folder or one of its draws/<plan_id>.json")


def _is_legacy(path: Path) -> bool:
    """A record of the first format: JSON without a `format` key (checked leniently here; the
    real checks report any problem)."""
    if path.suffix != ".json" or path.name in ("manifest.json", NOTICE_FILE):
        return False
    try:
        doc = parse_json(read_bytes(folder_reader(path.parent), path.name, MAX_JSON_BYTES),
                         path.name, canonical=False)  # fmt: skip
    except Unreadable:
        return not (path.parent.name == "draws" and (path.parent.parent / NOTICE_FILE).exists())
    return not isinstance(doc, dict) or "format" not in doc


def verify_path(target: Path, auditor: Path | None = None,
                commitment_sha256: str | None = None,
                thorough: bool = True) -> dict[str, Any]:  # fmt: skip
    """Verify a package folder (or one record in it), and an auditor package if given."""
    if not Path(target).exists():
        raise Unreadable(f"{target}: no such file or folder")
    if Path(target).is_file() and _is_legacy(Path(target)):
        return verify_legacy_file(Path(target))
    root, plan = locate(Path(target))
    if auditor is not None and not Path(auditor).is_dir():
        raise Unreadable(f"{auditor}: the auditor package must be a folder")
    result = verify_package(
        folder_reader(root),
        plan,
        folder_reader(Path(auditor)) if auditor is not None else None,
        commitment_sha256,
        thorough,
    )
    if plan is None and isinstance(result.get("campaign"), str):
        unlisted_files(root, result)
    result["package"] = str(root)
    return result


def unlisted_files(root: Path, result: dict[str, Any]) -> None:
    """A record or frame file the campaign manifest does not list is a failure: a plan must not
    be added to a package behind the manifest's back."""
    try:
        manifest = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
        listed = {e.get("record_file") for e in manifest["plans"]} | {
            e.get("frame_file") for e in manifest["plans"]}  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return
    found = [f"draws/{p.name}" for p in (root / "draws").glob("*.json")
             if p.name != "manifest.json"]  # fmt: skip
    found += [f"frames/{p.name}" for p in (root / "frames").glob("*.txt")]
    extra = sorted(set(found) - listed)
    if extra:
        result["checks"].append({"check": "unlisted_files", "plan": None, "stratum": None,
                                 "ok": False, "detail": "files not in the campaign manifest: "
                                 + ", ".join(extra[:5])})  # fmt: skip
        result["ok"] = False


def report_text(result: dict[str, Any]) -> str:
    lines = [f"package {result.get('package', '')} (campaign {result.get('campaign')}, "
             f"{result.get('plans', 0)} drawn plans checked)"]  # fmt: skip
    for c in result["checks"]:
        where = "".join(f"[{v}] " for v in (c.get("plan"), c.get("stratum")) if v is not None)
        lines.append(f"  {'ok  ' if c['ok'] else 'FAIL'} {where}{c['check']}: {c['detail']}")
    failed = sum(not c["ok"] for c in result["checks"])
    lines.append("MATCH: every check holds" if result["ok"]
                 else f"MISMATCH: {failed} checks failed, see the FAIL lines above")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="verify a published Suicha draw (docs/draw-record.md)")
    p.add_argument(
        "target",
        nargs="?",
        default=".",
        help="the public package folder, or one draws/<plan_id>.json in it",
    )
    p.add_argument("--auditor", help="the auditor package folder (per-tier frames)")
    p.add_argument("--commitment-sha256", help="the notice's hash as published before the draw")
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
    args = p.parse_args(argv)
    try:
        result = verify_path(
            Path(args.target), Path(args.auditor) if args.auditor else None, args.commitment_sha256
        )
    except Unreadable as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except (OSError, MemoryError, RecursionError, ValueError) as e:
        print(f"error: {args.target}: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(report_text(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
