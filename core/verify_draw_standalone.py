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


class Say:
    """What a check found: a stable key of TEXT (the end of this file) and its values. str()
    is the English sentence this script prints; the Suicha app shows the same key and values in
    its reader's language. A value may itself be a Say, or a list of them ("; "-joined)."""

    __slots__ = ("key", "values")

    def __init__(self, key: str, /, **values: Any) -> None:
        self.key, self.values = key, values

    def __str__(self) -> str:
        return TEXT[self.key].format(**{k: _said(v) for k, v in self.values.items()})

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "values": {k: _as_json(v) for k, v in self.values.items()}}


def _said(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value) if isinstance(value, Say) else value


def _as_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.as_json() if isinstance(value, Say) else value


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
                      strata: list[tuple[int, int]]) -> Say | None:  # fmt: skip
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
    return Say("selection.no_split")


def tier_frames_digest(salt: str, plan_id: str, tier_sha: dict[str, str]) -> str:
    text = f"suicha-tier-frames-v1\n{salt}\n{plan_id}\n" + "\n".join(
        f"{t}:{tier_sha[t]}" for t in TIERS
    )
    return sha256_hex(text)


def beacon_problem(value: str, fmt: str) -> Say | None:
    """Why `value` is not a clean beacon of format `fmt` (docs §1.1), or None."""
    if fmt not in BEACON_FORMATS:
        return Say("beacon.unknown_format", fmt=fmt)
    if not value:
        return Say("beacon.empty")
    bad = [c for c in value if unicodedata.category(c) in _BAD_CATEGORIES]
    if bad:
        return Say("beacon.invisible", char=f"U+{ord(bad[0]):04X}")
    if len(value) > 200 or value != value.strip() or unicodedata.normalize("NFC", value) != value:
        return Say("beacon.unclean")
    pattern = BEACON_FORMATS[fmt]
    if pattern is not None and not re.fullmatch(pattern, value):
        return Say("beacon.not_format", value=value, fmt=fmt)
    if fmt == "cwl-ssq":
        reds = [int(x) for x in value.split(" + ")[0].split()]
        if reds != sorted(set(reds)):
            return Say("beacon.reds_order", value=value)
    return None


# ---------------------------------------------------------------------------------------------
# Reading files: every problem becomes a message, never an exception


class Unreadable(Exception):
    """A file is missing, too large, not UTF-8, not JSON or not canonical. Raised with a Say:
    str(e) is its English sentence, `e.say` its key and values."""

    @property
    def say(self) -> Say:
        found = self.args[0] if self.args else None
        return found if isinstance(found, Say) else Say("text", text=str(self))


Reader = Callable[[str], bytes | None]


def read_bytes(read: Reader, rel: str, limit: int) -> bytes:
    try:
        data = read(rel)
    except Unreadable:
        raise
    except (OSError, ValueError) as e:
        raise Unreadable(Say("file.unreadable", rel=rel, reason=str(e))) from None
    if data is None:
        raise Unreadable(Say("file.missing", rel=rel))
    if len(data) > limit:
        raise Unreadable(Say("file.too_large", rel=rel, size=len(data), limit=limit))
    return data


class _NotJson(ValueError):
    """A JSON text the standard parser would take but a canonical document may not hold."""

    def __init__(self, say: Say) -> None:
        self.say = say
        super().__init__(str(say))


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    dup = next((k for k in keys if keys.count(k) > 1), None)
    if dup is not None:
        raise _NotJson(Say("json.duplicate_key", key=dup))
    return dict(pairs)


def _no_constant(name: str) -> Any:
    raise _NotJson(Say("json.constant", name=name))


def parse_json(data: bytes, rel: str, canonical: bool = True) -> Any:
    """The document in `data`; Unreadable with a one-line reason when it is not one."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise Unreadable(Say("json.bom", rel=rel))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unreadable(Say("file.not_utf8", rel=rel, byte=e.start)) from None
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise Unreadable(Say("json.too_deep", rel=rel)) from None
    except ValueError as e:
        reason = str(e).splitlines()[0][:200]
        if isinstance(e, _NotJson):
            why = e.say
        elif isinstance(e, json.JSONDecodeError):
            why = Say("json.syntax", line=e.lineno, col=e.colno)
        else:
            why = Say("json.other")
        raise Unreadable(Say("json.invalid", rel=rel, reason=reason, why=why)) from None
    if canonical:
        try:
            same = canonical_bytes(obj) == data
        except (ValueError, RecursionError):
            same = False
        if not same:
            raise Unreadable(Say("json.not_canonical", rel=rel))
    return obj


def parse_frame(data: bytes, rel: str) -> list[str]:
    """A frame file's codes; Unreadable unless sorted, unique, UTF-8, no trailing newline."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unreadable(Say("file.not_utf8", rel=rel, byte=e.start)) from None
    if not text:
        return []
    codes = text.split("\n")
    if codes[-1] == "":
        raise Unreadable(Say("frame.trailing_newline", rel=rel))
    for i in range(1, len(codes)):
        if codes[i - 1] >= codes[i]:
            raise Unreadable(Say("frame.unsorted", rel=rel, line=i + 1, code=codes[i][:40],
                                 before=i, prev=codes[i - 1][:40]))  # fmt: skip
    if codes[0] == "":
        raise Unreadable(Say("frame.empty_line", rel=rel))
    return codes


# ---------------------------------------------------------------------------------------------
# Schemas: exactly these fields, of these types


def _type_name(value: Any) -> Say:
    if value is None:
        return Say("type.null")
    name = {bool: "bool", int: "int", float: "float", str: "str", list: "list",
            dict: "dict"}.get(type(value))  # fmt: skip
    return Say(f"type.{name}") if name else Say("type.other", name=type(value).__name__)


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


def schema_problems(value: Any, spec: Any, path: str = "$") -> list[Say]:
    """Every way `value` departs from `spec` (types, required and unknown fields), by path."""
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            return [Say("schema.not_object", path=path, got=_type_name(value))]
        out = [Say("schema.missing", path=f"{path}.{k}") for k in spec if k not in value]
        out += [Say("schema.unknown", path=f"{path}.{k}") for k in value if k not in spec]
        for k, sub in spec.items():
            if k in value:
                out += schema_problems(value[k], sub, f"{path}.{k}")
        return out
    if isinstance(spec, tuple) and spec[0] == "or_null":
        return [] if value is None else schema_problems(value, spec[1], path)
    if isinstance(spec, tuple) and spec[0] == "hex":
        if not isinstance(value, str) or not re.fullmatch(f"[0-9a-f]{{{spec[1]}}}", value):
            return [Say("schema.hex", path=path, digits=spec[1], got=_short(value))]
        return []
    if isinstance(spec, tuple) and spec[0] == "list":
        if not isinstance(value, list):
            return [Say("schema.not_list", path=path, got=_type_name(value))]
        if len(spec) > 2 and len(value) != spec[2]:
            return [Say("schema.entries", path=path, n=spec[2], got=len(value))]
        out = []
        for i, item in enumerate(value):
            out += schema_problems(item, spec[1], f"{path}[{i}]")
            if len(out) > 20:
                return out[:20] + [Say("schema.more", path=path)]
        return out
    if isinstance(spec, tuple) and spec[0] in ("map", "tiers"):
        if not isinstance(value, dict):
            return [Say("schema.not_object", path=path, got=_type_name(value))]
        keys = TIERS if spec[0] == "tiers" else spec[1]
        sub = spec[1] if spec[0] == "tiers" else spec[2]
        out = []
        if keys is not None:
            out += [Say("schema.missing", path=f"{path}.{k}") for k in keys if k not in value]
            out += [Say("schema.unknown", path=f"{path}.{k}") for k in value if k not in keys]
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
        return [Say("schema.expected", path=path, wanted=Say(f"want.{spec}"), got=_short(value))]
    return []


def _short(value: Any) -> Say:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return Say(
        "value.short", type=_type_name(value), text=f"{text[:60]}{'…' if len(text) > 60 else ''}"
    )


# ---------------------------------------------------------------------------------------------
# The report


Detail = Say | list[Say]


class Report:
    """The list of checks: {check, plan, stratum, ok, detail}; `detail` is the English text,
    `says` the same as keys and values (dropped from this script's own --json output)."""

    def __init__(self) -> None:
        self.checks: list[dict[str, Any]] = []

    def add(self, check: str, ok: bool, detail: Detail, plan: str | None = None,
            stratum: str | None = None) -> bool:  # fmt: skip
        parts = detail if isinstance(detail, list) else [detail]
        self.checks.append({"check": check, "plan": plan, "stratum": stratum, "ok": bool(ok),
                            "detail": "; ".join(str(p) for p in parts),
                            "says": [p.as_json() for p in parts]})  # fmt: skip
        return bool(ok)

    def fail(self, check: str, detail: Detail, plan: str | None = None,
             stratum: str | None = None) -> bool:  # fmt: skip
        return self.add(check, False, detail, plan, stratum)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c["ok"] for c in self.checks)

    def result(self, **extra: Any) -> dict[str, Any]:
        return {"ok": self.ok, **extra, "checks": self.checks}


def plain(result: dict[str, Any]) -> dict[str, Any]:
    """The result as this script prints it with --json: each check without its `says`."""
    checks = [{k: v for k, v in c.items() if k != "says"} for c in result.get("checks", [])]
    return {**result, "checks": checks}


def load(report: Report, read: Reader, rel: str, schema: dict, fmt: str, check: str,
         plan: str | None = None) -> dict | None:  # fmt: skip
    """A JSON document checked for canonical form, schema, format and algorithm; None (with
    the failures reported) when it cannot be used."""
    try:
        doc = parse_json(read_bytes(read, rel, MAX_JSON_BYTES), rel)
    except Unreadable as e:
        report.fail(check, e.say, plan)
        return None
    problems = schema_problems(doc, schema)
    if problems:
        report.fail(check, Say("doc.schema", rel=rel, problems=problems[:8]), plan)
        return None
    if doc["format"] != fmt:
        report.fail(check, Say("doc.format", rel=rel, got=doc["format"], fmt=fmt), plan)
        return None
    if "algorithm" in doc and doc["algorithm"] != ALGORITHM:
        report.fail(check, Say("doc.algorithm", rel=rel, got=doc["algorithm"], want=ALGORITHM),
                    plan)  # fmt: skip
        return None
    report.add(check, True, Say("doc.ok", rel=rel, fmt=fmt), plan)
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
               Say("rehearsal.no" if not notice["rehearsal"] else "rehearsal.yes"))  # fmt: skip
    published = datetime.fromisoformat(notice["published_at"]).date()
    beacon_date = date.fromisoformat(notice["beacon"]["date"])
    report.add("beacon_date", beacon_date > published,
               Say("beacon_date.ok" if beacon_date > published else "beacon_date.early",
                   date=str(beacon_date), published=str(published)))  # fmt: skip
    fmt_problem = (None if notice["beacon"]["format"] in BEACON_FORMATS
                   else Say("beacon.unknown_format", fmt=notice["beacon"]["format"]))  # fmt: skip
    report.add("beacon_format", fmt_problem is None,
               fmt_problem or Say("beacon_format.ok", fmt=notice["beacon"]["format"]))  # fmt: skip
    ratio_sha = sha256_hex(canonical_bytes(notice["ratio_table"]))
    report.add("ratio_table", ratio_sha == notice["ratio_table_sha256"],
               Say("ratio_table.ok") if ratio_sha == notice["ratio_table_sha256"] else
               Say("ratio_table.sha", got=ratio_sha,
                   said=notice["ratio_table_sha256"]))  # fmt: skip
    ids = [p["plan_id"] for p in notice["plans"]]
    report.add("notice_plans", ids == sorted(set(ids)) and notice["mode"] in MODES and all(
        p["item_class"] in ITEM_CLASSES for p in notice["plans"]),
        Say("notice_plans.ok", n=len(ids), mode=notice["mode"]) if ids == sorted(set(ids))
        else Say("notice_plans.order"))  # fmt: skip
    bad_bp = [f"{k}.{t}" for k, row in [*notice["ratio_table"]["default"].items(),
                                        *notice["ratio_table"]["overrides"].items()]
              for t, bp in row.items() if not 1 <= bp <= 10000]  # fmt: skip
    if bad_bp:
        report.fail("ratio_table", Say("ratio_table.range", cells=", ".join(bad_bp[:5])))
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
        Say("manifest_notice.ok")
        if not same
        else [Say("manifest_notice.differs", field=k, got=repr(a), want=repr(b))
              for k, (a, b) in same.items()],
    )  # fmt: skip
    listed = [p["plan_id"] for p in manifest["plans"]]
    wanted = [p["plan_id"] for p in notice["plans"]]
    missing, extra = sorted(set(wanted) - set(listed)), sorted(set(listed) - set(wanted))
    ok = listed == wanted
    report.add(
        "manifest_plans",
        ok,
        Say("manifest_plans.ok", n=len(wanted))
        if ok
        else [
            *([Say("manifest_plans.missing", plans=", ".join(missing[:5]))] if missing else []),
            *([Say("manifest_plans.extra", plans=", ".join(extra[:5]))] if extra else []),
            *([Say("manifest_plans.order")] if not missing and not extra else []),
        ],
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
            problems.append(
                Say(
                    "field.expected",
                    field="frame_file",
                    got=repr(entry["frame_file"]),
                    want=repr(want_frame),
                )
            )
        if entry["record_file"] != want_record:
            problems.append(
                Say(
                    "field.expected",
                    field="record_file",
                    got=repr(entry["record_file"]),
                    want=repr(want_record),
                )
            )
        if (entry["draw_id"] is None) != (entry["record_sha256"] is None):
            problems.append(Say("manifest_entry.pair"))
        if (entry["frame_sha256"], entry["frame_size"]) != (
            anchored["frame_sha256"],
            anchored["frame_size"],
        ):
            problems.append(Say("manifest_entry.frame"))
        report.add("manifest_entry", not problems, problems or Say("manifest_entry.ok"),
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
        report.fail("record", e.say, pid)
        return None
    digest = sha256_hex(raw)
    report.add(
        "record_sha256",
        digest == entry["record_sha256"],
        Say("record_sha256.ok", rel=rel)
        if digest == entry["record_sha256"]
        else Say("record_sha256.differs", rel=rel, got=digest, said=entry["record_sha256"]),
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
    wrong = [Say("record_fields.differs", field=k, got=repr(record[k]), want=repr(v))
             for k, v in expect.items() if record[k] != v]  # fmt: skip
    report.add("record_fields", not wrong, wrong or Say("record_fields.ok"), pid)
    secret, beacon = record["secret"], record["beacon"]
    report.add("commitment", sha256_hex(secret) == record["seed_commitment"],
               Say("commitment.ok") if sha256_hex(secret) == record["seed_commitment"] else
               Say("commitment.differs", got=sha256_hex(secret),
                   said=record["seed_commitment"]), pid)  # fmt: skip
    derived = sha256_hex(f"{secret}|{beacon}")
    report.add(
        "seed",
        derived == record["seed"],
        Say("seed.ok")
        if derived == record["seed"]
        else Say("seed.differs", got=derived, said=record["seed"]),
        pid,
    )
    problem = beacon_problem(beacon, notice["beacon"]["format"])
    report.add("beacon", problem is None,
               problem or Say("beacon.ok", value=beacon, fmt=notice["beacon"]["format"]),
               pid)  # fmt: skip
    s = draw_seed(record["seed"], pid, record["mode"])
    report.add(
        "prn_seed",
        record["prn_seed"] == s,
        Say("prn_seed.ok", mode=record["mode"])
        if record["prn_seed"] == s
        else Say("prn_seed.differs", got=record["prn_seed"], mode=record["mode"], want=s),
        pid,
    )
    committed = datetime.fromisoformat(record["committed_at"]).date()
    beacon_date = date.fromisoformat(notice["beacon"]["date"])
    report.add(
        "committed_at",
        committed >= beacon_date or notice["rehearsal"],
        Say(
            "committed_at.ok" if committed >= beacon_date else "committed_at.early",
            committed=str(committed),
            date=str(beacon_date),
        ),
        pid,
    )

    # whole frame: as anchored in the notice before the draw
    whole = (record["frame_size"], record["frame_sha256"])
    anchors = {"notice": (anchored["frame_size"], anchored["frame_sha256"]),
               "manifest": (entry["frame_size"], entry["frame_sha256"])}  # fmt: skip
    off = [name for name, v in anchors.items() if v != whole]
    report.add("frame_anchor", not off,
               Say("frame_anchor.ok") if not off else
               Say("frame_anchor.differs", where=Say(f"frame_anchor.{'_'.join(off)}")),
               pid)  # fmt: skip
    codes = frame_codes(pid)
    frame_rel = f"frames/{pid}.txt"
    if codes is not None:
        report.add(
            "frame_size",
            len(codes) == record["frame_size"],
            Say("frame_size.ok", n=len(codes), rel=frame_rel)
            if len(codes) == record["frame_size"]
            else Say("frame_size.differs", n=len(codes), rel=frame_rel, said=record["frame_size"]),
            pid,
        )

    # strata: the notice's ratios, quotas from sizes, sums
    problems = []
    for tier, st in zip(TIERS, record["strata"], strict=True):
        bp = plan_ratio(notice, anchored, tier)
        if st["ratio_bp"] != bp:
            problems.append(Say("strata.ratio", i=TIERS.index(tier) + 1, bp=st["ratio_bp"],
                                want=bp))  # fmt: skip
        expected = quota(st["frame_size"], st["ratio_bp"])
        if st["quota"] != expected:
            problems.append(
                Say(
                    "strata.quota",
                    i=TIERS.index(tier) + 1,
                    quota=st["quota"],
                    size=st["frame_size"],
                    bp=st["ratio_bp"],
                    want=expected,
                )
            )
    sizes = sum(st["frame_size"] for st in record["strata"])
    quotas = sum(st["quota"] for st in record["strata"])
    if sizes != record["frame_size"]:
        problems.append(Say("strata.sizes", got=sizes, said=record["frame_size"]))
    if quotas != record["quota"]:
        problems.append(Say("strata.quotas", got=quotas, said=record["quota"]))
    report.add("strata", not problems, problems or Say("strata.ok"), pid)

    # selection: count, distinct, in the frame, in (u, c) order
    sel = record["selected"]
    problems = []
    if len(sel) != record["quota"]:
        problems.append(Say("selection.count", n=len(sel), quota=record["quota"]))
    if len(set(sel)) != len(sel):
        problems.append(Say("selection.twice"))
    if codes is not None:
        members = set(codes)
        outside = [c for c in sel if c not in members]
        if outside:
            problems.append(Say("selection.outside", codes=", ".join(outside[:5])))
    keys = [(prn(s, c), c) for c in sel]
    wrong = next((i for i in range(1, len(keys)) if keys[i - 1] >= keys[i]), None)
    if wrong is not None:
        problems.append(Say("selection.order", at=wrong + 1, code=sel[wrong],
                            prev=sel[wrong - 1]))  # fmt: skip
    report.add("selection", not problems, problems or Say("selection.ok", n=len(sel)), pid)
    if thorough and codes is not None and not problems and sizes == record["frame_size"]:
        split = [(st["frame_size"], st["quota"]) for st in record["strata"]]
        problem = partition_problem(s, codes, sel, split)
        report.add("selection_strata", problem is None, problem or Say("selection_strata.ok"),
                   pid)  # fmt: skip
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
            Say("notice_seen.ok")
            if notice_sha == want
            else Say("notice_seen.differs", got=notice_sha, want=want),
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
                              Say("frame_sha256.ok", rel=rel) if digest == entry["frame_sha256"]
                              else Say("frame_sha256.differs", rel=rel, got=digest,
                                       said=entry["frame_sha256"]), pid):  # fmt: skip
                    frames[pid] = parse_frame(data, rel)
            except Unreadable as e:
                report.fail("frame", e.say, pid)
        return frames[pid]

    entries = [p for p in manifest["plans"] if p["plan_id"] in {q["plan_id"] for q in
                                                               notice["plans"]}]  # fmt: skip
    if only_plan is not None:
        entries = [p for p in entries if p["plan_id"] == only_plan]
        if not entries:
            report.fail("record", Say("record.not_listed", plan=only_plan))
    records = {}
    for entry in entries:
        if entry["draw_id"] is None:
            report.add("record", True, Say("record.none"), entry["plan_id"])
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
        report.fail("auditor_manifest", e.say)
        return
    digest = sha256_hex(raw)
    if not report.add("auditor_manifest", digest == manifest["auditor_manifest_sha256"],
                      Say("auditor_manifest.ok") if digest == manifest["auditor_manifest_sha256"]
                      else Say("auditor_manifest.differs", rel=AUDIT_MANIFEST_FILE, got=digest,
                               said=manifest["auditor_manifest_sha256"])):  # fmt: skip
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
                bad.append(Say("auditor_files.differs", rel=path))
        except Unreadable as e:
            bad.append(e.say)
    report.add("auditor_files", not bad and amanifest["campaign"] == notice["campaign"],
               bad[:5] or Say("auditor_files.ok", n=len(listed)))  # fmt: skip
    for pid, record in sorted(records.items()):
        rel = f"audit/draws/{pid}.json"
        if rel not in listed:
            report.fail("auditor_record", Say("auditor_record.not_listed", rel=rel), pid)
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
    problems = [Say("auditor_binding.field", field=k) for k in shared]
    if audit["public_record_sha256"] != public_sha:
        problems.append(Say("auditor_binding.record"))
    anchored = next(p for p in notice["plans"] if p["plan_id"] == pid)
    if audit["tier_frames_digest"] != anchored["tier_frames_digest"]:
        problems.append(Say("auditor_binding.digest"))
    report.add("auditor_binding", not problems, problems or Say("auditor_binding.ok"), pid)
    tiers = [st["tier"] for st in audit["strata"]]
    if tiers != list(TIERS):
        report.fail("auditor_strata", Say("auditor_strata.tiers", got=str(tiers),
                                          want=str(list(TIERS))), pid)  # fmt: skip
        return
    tier_codes: dict[str, list[str]] = {}
    tier_sha: dict[str, str] = {}
    for st in audit["strata"]:
        t, want = st["tier"], f"frames/{pid}/{st['tier']}.txt"
        try:
            if st["frame_file"] != want:
                raise Unreadable(
                    Say(
                        "field.expected",
                        field="frame_file",
                        got=repr(st["frame_file"]),
                        want=repr(want),
                    )
                )
            data = read_bytes(audit_read, want, MAX_FRAME_BYTES)
            tier_sha[t] = sha256_hex(data)
            tier_codes[t] = parse_frame(data, want)
        except Unreadable as e:
            report.fail("tier_frame", e.say, pid, t)
    if len(tier_codes) < 4:
        return
    digest = tier_frames_digest(audit["tier_salt"], pid, tier_sha)
    report.add("tier_digest", digest == anchored["tier_frames_digest"],
               Say("tier_digest.ok") if digest == anchored["tier_frames_digest"] else
               Say("tier_digest.differs", got=digest, said=anchored["tier_frames_digest"]),
               pid)  # fmt: skip
    merged = sorted(c for t in TIERS for c in tier_codes[t])
    whole = frame_codes(pid)
    same = whole is not None and merged == whole and len(set(merged)) == len(merged)
    report.add(
        "tier_partition",
        same,
        Say("tier_partition.ok" if same else "tier_partition.differs"),
        pid,
    )
    s = draw_seed(record["seed"], pid, record["mode"])
    picks: list[tuple[float, str]] = []
    for i, st in enumerate(audit["strata"]):
        t = st["tier"]
        pub = record["strata"][i]
        problems = []
        if (st["frame_size"], st["frame_sha256"]) != (len(tier_codes[t]), tier_sha[t]):
            problems.append(Say("recompute.frame"))
        if st["ratio_bp"] != plan_ratio(notice, anchored, t):
            problems.append(Say("recompute.ratio", bp=st["ratio_bp"]))
        if st["quota"] != quota(st["frame_size"], st["ratio_bp"]):
            problems.append(Say("recompute.quota", quota=st["quota"]))
        if (pub["ratio_bp"], pub["frame_size"], pub["quota"]) != (
                st["ratio_bp"], st["frame_size"], st["quota"]):  # fmt: skip
            problems.append(Say("recompute.public"))
        drawn = select(s, tier_codes[t], st["quota"])
        if drawn != st["selected"]:
            diff = next((j for j, (a, b) in enumerate(zip(drawn, st["selected"], strict=False))
                         if a != b),
                        min(len(drawn), len(st["selected"])))  # fmt: skip
            problems.append(Say("recompute.selection", at=diff + 1, given=len(st["selected"]),
                                drawn=len(drawn)))  # fmt: skip
        picks += [(prn(s, c), c) for c in drawn]
        report.add("recompute", not problems,
                   problems or Say("recompute.ok", n=len(drawn), of=len(tier_codes[t])),
                   pid, t)  # fmt: skip
    merged_sel = [c for _, c in sorted(picks)]
    report.add("public_selection", merged_sel == record["selected"],
               Say("public_selection.ok" if merged_sel == record["selected"]
                   else "public_selection.differs"), pid)  # fmt: skip


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
        report.fail("fields", Say("legacy.not_record"))
        return report.result(plan_id=None)
    problems = schema_problems(record, LEGACY_SCHEMA, "$") if isinstance(record, dict) else [
        Say("schema.not_object", path="$", got=_type_name(record))]  # fmt: skip
    problems = [p for p in problems if p.key != "schema.unknown"]
    if problems:
        report.fail("fields", problems[:8])
        return report.result(plan_id=record.get("plan_id") if isinstance(record, dict) else None)
    pid = record["plan_id"]
    report.add("algorithm", record["algorithm"] == ALGORITHM,
               Say("value", value=repr(record["algorithm"])))  # fmt: skip
    report.add("mode", record["mode"] in MODES, Say("legacy.mode", mode=record["mode"]))
    secret, beacon = record["secret"], record["beacon"]
    report.add("commitment", sha256_hex(secret) == record["seed_commitment"],
               Say("legacy.commitment_ok") if sha256_hex(secret) == record["seed_commitment"]
               else Say("legacy.commitment_differs", got=sha256_hex(secret),
                        said=record["seed_commitment"]))  # fmt: skip
    derived = sha256_hex(f"{secret}|{beacon}")
    report.add("seed", derived == record["seed"], Say("seed.ok") if derived == record["seed"]
               else Say("legacy.seed_differs", got=derived, said=record["seed"]))  # fmt: skip
    tiers = [st["tier"] for st in record["strata"]]
    report.add("strata", len(tiers) == len(set(tiers)) > 0,
               Say("legacy.strata", n=len(tiers), tiers=", ".join(tiers)))  # fmt: skip
    s = draw_seed(record["seed"], pid, record["mode"])
    for st in record["strata"]:
        t, n = st["tier"], st["quota"]
        expected = quota(st["frame_size"], st["ratio_bp"])
        report.add("quota", n == expected, Say("legacy.quota", quota=n, size=st["frame_size"],
                   bp=st["ratio_bp"], want=expected), pid, t)  # fmt: skip
        try:
            data = read_bytes(read, st["frame_file"], MAX_FRAME_BYTES)
        except Unreadable as e:
            report.fail("frame", e.say, pid, t)
            report.fail("selection", Say("legacy.no_frame"), pid, t)
            continue
        digest = sha256_hex(data)
        report.add("frame_sha256", digest == st["frame_sha256"],
                   Say("legacy.frame_ok", rel=st["frame_file"]) if digest == st["frame_sha256"]
                   else Say("legacy.frame_differs", rel=st["frame_file"], got=digest,
                            said=st["frame_sha256"]), pid, t)  # fmt: skip
        try:
            frame = parse_frame(data, st["frame_file"])
        except Unreadable as e:
            report.fail("frame_order", e.say, pid, t)
            continue
        report.add("frame_size", len(frame) == st["frame_size"],
                   Say("legacy.frame_size", n=len(frame), rel=st["frame_file"],
                       said=st["frame_size"]), pid, t)  # fmt: skip
        drawn = select(s, frame, n)
        same = drawn == st["selected"]
        extra = sorted(set(st["selected"]) - set(drawn))
        lacking = sorted(set(drawn) - set(st["selected"]))
        report.add("selection", same, Say("legacy.selection_ok", n=len(drawn)) if same else [
            *([Say("legacy.not_drawn", codes=", ".join(extra[:5]))] if extra else []),
            *([Say("legacy.not_published", codes=", ".join(lacking[:5]))] if lacking else []),
            *([Say("legacy.other_order")] if not extra and not lacking else [])],
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
            raise Unreadable(Say("file.outside", rel=relative))
        path = root.joinpath(*rel.parts)
        if not path.is_file():
            return None
        size = path.stat().st_size
        if size > MAX_FRAME_BYTES:
            raise Unreadable(Say("file.too_large", rel=relative, size=size,
                                 limit=MAX_FRAME_BYTES))  # fmt: skip
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
    raise Unreadable(Say("path.what", target=str(target)))


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
        raise Unreadable(Say("path.missing", target=str(target)))
    if Path(target).is_file() and _is_legacy(Path(target)):
        return verify_legacy_file(Path(target))
    root, plan = locate(Path(target))
    if auditor is not None and not Path(auditor).is_dir():
        raise Unreadable(Say("path.auditor", target=str(auditor)))
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
        say = Say("unlisted_files", files=", ".join(extra[:5]))
        result["checks"].append({"check": "unlisted_files", "plan": None, "stratum": None,
                                 "ok": False, "detail": str(say),
                                 "says": [say.as_json()]})  # fmt: skip
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
        print(json.dumps(plain(result), ensure_ascii=False, indent=2))
    else:
        print(report_text(result))
    return 0 if result["ok"] else 1


# ---------------------------------------------------------------------------------------------
# What the checks say, in English, by key (the Suicha app translates the same keys)

TEXT: dict[str, str] = {
    "text": "{text}",
    "value": "{value}",
    "value.short": "{type} {text}",
    "type.null": "null",
    "type.bool": "true/false",
    "type.int": "an integer",
    "type.float": "a number",
    "type.str": "a string",
    "type.list": "a list",
    "type.dict": "an object",
    "type.other": "{name}",
    "want.str": "a string",
    "want.int": "a non-negative integer",
    "want.bool": "true or false",
    "want.time": "a time with its UTC offset",
    "want.date": "a date YYYY-MM-DD",
    "file.unreadable": "{rel}: cannot be read ({reason})",
    "file.missing": "{rel}: missing",
    "file.too_large": "{rel}: {size:,} bytes, more than the {limit:,} allowed",
    "file.not_utf8": "{rel}: not UTF-8 (byte {byte})",
    "file.outside": "{rel}: not a path inside the package",
    "json.bom": "{rel}: starts with a UTF-8 byte-order mark (not canonical JSON)",
    "json.too_deep": "{rel}: nested too deeply",
    "json.invalid": "{rel}: not JSON ({reason})",
    "json.duplicate_key": "the key {key!r} appears twice",
    "json.constant": "{name} is not a JSON number",
    "json.syntax": "line {line}, column {col}",
    "json.other": "not JSON",
    "json.not_canonical": "{rel}: not canonical JSON (sorted keys, no spaces, no newline)",
    "frame.trailing_newline": "{rel}: ends with a newline (a frame file has none)",
    "frame.unsorted": "{rel}: line {line} ({code!r}) is not after line {before} ({prev!r}): "
    "not sorted ascending and unique",
    "frame.empty_line": "{rel}: line 1 is empty",
    "schema.not_object": "{path}: expected an object, got {got}",
    "schema.missing": "{path}: missing",
    "schema.unknown": "{path}: unknown field",
    "schema.hex": "{path}: expected {digits} lowercase hex digits, got {got}",
    "schema.not_list": "{path}: expected a list, got {got}",
    "schema.entries": "{path}: expected {n} entries, got {got}",
    "schema.more": "{path}: … more problems",
    "schema.expected": "{path}: expected {wanted}, got {got}",
    "doc.schema": "{rel}: {problems}",
    "doc.format": "{rel}: format {got!r}, expected {fmt!r}",
    "doc.algorithm": "{rel}: algorithm {got!r}, expected {want!r}",
    "doc.ok": "{rel}: canonical {fmt}, every field present and typed",
    "field.expected": "{field} {got}, expected {want}",
    "beacon.unknown_format": "unknown beacon format {fmt!r}",
    "beacon.empty": "the beacon is empty",
    "beacon.invisible": "the beacon holds a control or invisible character {char}",
    "beacon.unclean": "the beacon is too long, padded or not NFC-normalised",
    "beacon.not_format": "{value!r} is not a {fmt} value",
    "beacon.reds_order": "{value!r}: the red balls are not strictly ascending",
    "beacon.ok": "{value!r} is a {fmt} value",
    "rehearsal.no": "a real campaign",
    "rehearsal.yes": "rehearsal — not a real draw (a person supplied the secret)",
    "beacon_date.ok": "beacon date {date} is after the notice's publication {published}",
    "beacon_date.early": "beacon date {date} is not after the notice's publication {published}: "
    "the beacon could have been known when the secret was fixed",
    "beacon_format.ok": "beacon format {fmt}",
    "ratio_table.ok": "ratio_table_sha256 matches the ratio table",
    "ratio_table.sha": "the ratio table hashes to {got}, the notice says {said}",
    "ratio_table.range": "ratios outside 1..10000 bp: {cells}",
    "notice_plans.ok": "{n} plans, sorted and unique; mode {mode}",
    "notice_plans.order": "the notice's plans are not sorted and unique",
    "notice_seen.ok": "the notice is the one published before the draw",
    "notice_seen.differs": "the notice hashes to {got}, not {want} as published before the draw",
    "manifest_notice.ok": "the manifest names this notice (campaign, id, hash)",
    "manifest_notice.differs": "{field} is {got}, the notice gives {want}",
    "manifest_plans.ok": "exactly the notice's {n} plans",
    "manifest_plans.missing": "plans missing: {plans}",
    "manifest_plans.extra": "plans not in the notice: {plans}",
    "manifest_plans.order": "plans repeated or out of order",
    "manifest_entry.pair": "draw_id and record_sha256 must both be given or both be null",
    "manifest_entry.frame": "its frame is not the one anchored in the notice before the draw",
    "manifest_entry.ok": "names and hashes",
    "record.not_listed": "plan {plan!r} is not in the campaign manifest",
    "record.none": "no draw in force for this plan",
    "record_sha256.ok": "{rel} hashes as the manifest says",
    "record_sha256.differs": "{rel} hashes to {got}, the manifest says {said}",
    "record_fields.ok": "plan, campaign, mode, commitment and file names agree with the notice "
    "and the manifest",
    "record_fields.differs": "{field} is {got}, expected {want}",
    "commitment.ok": "sha256(secret) equals the seed commitment published before the draw",
    "commitment.differs": "sha256(secret) is {got}, the commitment is {said}",
    "seed.ok": "seed equals sha256(secret|beacon)",
    "seed.differs": "sha256(secret|beacon) is {got}, the record says {said}",
    "prn_seed.ok": "prn_seed follows the {mode} mode",
    "prn_seed.differs": "prn_seed is {got!r}, the {mode} mode gives {want!r}",
    "committed_at.ok": "committed {committed}, not before the beacon date {date}",
    "committed_at.early": "committed {committed}, before the beacon date {date}",
    "frame_anchor.ok": "the record's frame is the one anchored in the notice before the draw",
    "frame_anchor.differs": "the record's frame size/sha256 differ from {where} (the frame "
    "anchored before the draw)",
    "frame_anchor.notice": "the notice",
    "frame_anchor.manifest": "the manifest",
    "frame_anchor.notice_manifest": "the notice and the manifest",
    "frame_sha256.ok": "{rel} hashes as anchored",
    "frame_sha256.differs": "{rel} hashes to {got}, anchored as {said}",
    "frame_size.ok": "{n:,} codes in {rel}",
    "frame_size.differs": "{n:,} codes in {rel}, the record says {said:,}",
    "strata.ok": "four strata: the notice's ratios, quotas = min(N, ceil(N × bp / 10000)), sums "
    "agree",
    "strata.ratio": "stratum {i}: ratio {bp} bp, the notice's ratio table gives {want} bp",
    "strata.quota": "stratum {i}: quota {quota}, but min({size}, ceil({size} × {bp} / 10000)) = "
    "{want}",
    "strata.sizes": "the strata's sizes add up to {got}, the frame has {said}",
    "strata.quotas": "the strata's quotas add up to {got}, the record says {said}",
    "selection.ok": "{n:,} distinct codes of the frame, in (u, c) order",
    "selection.count": "{n} codes selected, quota {quota}",
    "selection.twice": "a code is selected twice",
    "selection.outside": "not in the frame: {codes}",
    "selection.order": "not in (u, c) order at position {at} ({code} after {prev})",
    "selection_strata.ok": "the selection is each stratum's smallest u for some split of the "
    "frame into strata of the published sizes (which split is the auditor's check)",
    "selection.no_split": "no split of the frame into strata of the published sizes makes each "
    "stratum's selection its smallest u: a code was drawn over one with a smaller u",
    "auditor_manifest.ok": "the auditor manifest hashes to the public manifest's "
    "auditor_manifest_sha256",
    "auditor_manifest.differs": "{rel} hashes to {got}, the public manifest says {said}",
    "auditor_files.ok": "{n} auditor files hash to their entries",
    "auditor_files.differs": "{rel} differs from its entry",
    "auditor_record.not_listed": "{rel} is not in the auditor manifest",
    "auditor_binding.ok": "the auditor record is bound to the public record and the notice",
    "auditor_binding.field": "{field} differs from the public record",
    "auditor_binding.record": "public_record_sha256 is not the public record's hash",
    "auditor_binding.digest": "tier_frames_digest differs from the notice's",
    "auditor_strata.tiers": "strata tiers {got}, expected {want}",
    "tier_digest.ok": "the tier frames and salt reproduce the digest anchored in the notice "
    "before the draw",
    "tier_digest.differs": "the tier frames and salt give {got}, the notice anchored {said}",
    "tier_partition.ok": "the four tier frames are disjoint and merge into the public whole frame",
    "tier_partition.differs": "the tier frames do not merge into the public whole frame (or "
    "overlap)",
    "recompute.ok": "{n:,} of {of:,} recomputed bit for bit",
    "recompute.frame": "frame_size/frame_sha256 do not match the tier frame file",
    "recompute.ratio": "ratio {bp} bp is not the notice's",
    "recompute.quota": "quota {quota} does not follow from size and ratio",
    "recompute.public": "the public record's numbers for this stratum differ",
    "recompute.selection": "the selection differs from the recomputed one at position {at} "
    "({given} given, {drawn} drawn)",
    "public_selection.ok": "the public selection is the strata's selections in (u, c) order",
    "public_selection.differs": "the public selection is not the strata's recomputed selections "
    "in (u, c) order",
    "legacy.not_record": "not a draw record: an object with a strata list",
    "legacy.mode": "{mode!r}",
    "legacy.commitment_ok": "sha256(secret) equals seed_commitment",
    "legacy.commitment_differs": "sha256(secret) is {got}, record says {said}",
    "legacy.seed_differs": "sha256(secret|beacon) is {got}, record says {said}",
    "legacy.strata": "{n} strata: {tiers}",
    "legacy.quota": "quota {quota}, min({size}, ceil({size} × {bp} / 10000)) = {want}",
    "legacy.no_frame": "not checked: no frame file",
    "legacy.frame_ok": "{rel}: sha256 matches",
    "legacy.frame_differs": "{rel}: sha256 is {got}, record says {said}",
    "legacy.frame_size": "{n} codes in {rel}, record says {said}",
    "legacy.selection_ok": "{n} drawn codes match, in order",
    "legacy.not_drawn": "published but not drawn: {codes}",
    "legacy.not_published": "drawn but not published: {codes}",
    "legacy.other_order": "same codes, other order",
    "unlisted_files": "files not in the campaign manifest: {files}",
    "path.what": "{target}: give the package folder or one of its draws/<plan_id>.json",
    "path.missing": "{target}: no such file or folder",
    "path.auditor": "{target}: the auditor package must be a folder",
}


if __name__ == "__main__":
    sys.exit(main())
