"""Check a published Suicha draw (algorithm suicha-prn-sha256-v1) with nothing but Python.

    python verify_draw.py draws/<plan_id>.json [--json] [--base DIR]

This file is shipped unchanged into every publication as verify_draw.py. It uses only the
standard library and imports nothing from Suicha, so that anyone can read it in a few minutes and
re-run a draw without trusting our software. It checks, from the record and the frame files at
the relative paths the record names:

  1. sha256(secret) equals the seed commitment published before the draw;
  2. the seed equals sha256("<secret>|<beacon>") (hex);
  3. each frame file's SHA-256 and number of codes (sorted ascending, one per line, "\\n"-joined,
     no trailing newline);
  4. each stratum's quota equals min(N, ceil(N * ratio_bp / 10000)) in integer arithmetic;
  5. the selection: u(c) = first 8 bytes of sha256("<S>|<c>") as a big-endian integer / 2**64,
     S = seed (coordinated mode) or "<seed>|<plan_id>" (independent mode); the `quota` codes with
     the smallest u are drawn, ties by code ascending.

Exit status 0 when every check holds, 1 otherwise (2 for a usage error). Frame files are looked
for under --base, else next to the record, else in the record's parent folder (the publication
folder when the record sits in draws/).
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ALGORITHM = "suicha-prn-sha256-v1"
RECORD_FIELDS = ("algorithm", "campaign", "plan_id", "mode", "seed_commitment", "secret",
                 "beacon", "seed", "strata")  # fmt: skip
STRATUM_FIELDS = ("tier", "ratio_bp", "frame_size", "frame_sha256", "frame_file", "quota",
                  "selected")  # fmt: skip
MODES = ("coordinated", "independent")


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def quota(frame_size: int, ratio_bp: int) -> int:
    """min(N, ceil(N * bp / 10000)) with integers only: no float rounding can move it."""
    return min(frame_size, (frame_size * ratio_bp + 9999) // 10000)


def draw_seed(seed: str, plan_id: str, mode: str) -> str:
    """The string S that every target's number is hashed with."""
    return seed if mode == "coordinated" else f"{seed}|{plan_id}"


def prn(s: str, code: str) -> float:
    """The target's permanent random number u(c), exactly as DESIGN.md writes it: the first 8
    bytes of sha256("<S>|<c>") as a big-endian integer, divided by 2**64 (a Python float)."""
    return int.from_bytes(hashlib.sha256(f"{s}|{code}".encode()).digest()[:8], "big") / 2**64


def select(s: str, frame: list[str], n: int) -> list[str]:
    """The n codes with the smallest u, ties by code ascending, in draw order (a heap: memory
    grows with n, not with the frame)."""
    return [c for _, c in heapq.nsmallest(n, ((prn(s, c), c) for c in frame))]


def parse_frame(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    return text.split("\n") if text else []


def _check(checks: list[dict], name: str, ok: bool, detail: str, stratum: str | None = None):
    checks.append({"check": name, "stratum": stratum, "ok": bool(ok), "detail": detail})


def verify_record(
    record: dict[str, Any], read_frame: Callable[[str], bytes | None]
) -> dict[str, Any]:
    """Every check on one record; read_frame(relative path) gives a frame file's bytes or None.

    Returns {"ok", "plan_id", "checks": [{"check", "stratum", "ok", "detail"}]}."""
    checks: list[dict] = []
    if not isinstance(record, dict) or not isinstance(record.get("strata"), list):
        _check(checks, "fields", False, "not a draw record: an object with a strata list")
        return {"ok": False, "plan_id": None, "checks": checks}
    missing = [f for f in RECORD_FIELDS if f not in record]
    _check(checks, "fields", not missing,
           f"missing: {', '.join(missing)}" if missing else "all fields present")  # fmt: skip
    if missing:
        return {"ok": False, "plan_id": record.get("plan_id"), "checks": checks}
    algorithm, mode = record["algorithm"], record["mode"]
    _check(
        checks,
        "algorithm",
        algorithm == ALGORITHM,
        f"{algorithm!r}" + ("" if algorithm == ALGORITHM else f", expected {ALGORITHM!r}"),
    )
    _check(checks, "mode", mode in MODES, f"{mode!r}")  # fmt: skip

    secret, beacon, seed = str(record["secret"]), str(record["beacon"]), str(record["seed"])
    commitment = sha256_hex(secret)
    _check(
        checks,
        "commitment",
        commitment == record["seed_commitment"],
        "sha256(secret) equals seed_commitment"
        if commitment == record["seed_commitment"]
        else f"sha256(secret) is {commitment}, record says {record['seed_commitment']}",
    )
    derived = sha256_hex(f"{secret}|{beacon}")
    _check(checks, "seed", derived == seed,
           "seed equals sha256(secret|beacon)" if derived == seed
           else f"sha256(secret|beacon) is {derived}, record says {seed}")  # fmt: skip

    s = draw_seed(seed, str(record["plan_id"]), mode)
    tiers = [st.get("tier") for st in record["strata"] if isinstance(st, dict)]
    _check(checks, "strata", len(tiers) == len(set(tiers)) and len(tiers) > 0,
           f"{len(tiers)} strata: {', '.join(map(str, tiers))}")  # fmt: skip
    for st in record["strata"]:
        if not isinstance(st, dict):
            _check(checks, "fields", False, f"stratum {st!r} is not an object")
            continue
        tier = str(st.get("tier"))
        absent = [f for f in STRATUM_FIELDS if f not in st]
        if absent:
            _check(checks, "fields", False, f"missing: {', '.join(absent)}", tier)
            continue
        n_frame, bp, n = int(st["frame_size"]), int(st["ratio_bp"]), int(st["quota"])
        expected = quota(n_frame, bp)
        _check(checks, "quota", n == expected,
               f"quota {n} = min({n_frame}, ceil({n_frame} × {bp} / 10000))" if n == expected
               else f"quota {n}, but min({n_frame}, ceil({n_frame} × {bp} / 10000)) = {expected}",
               tier)  # fmt: skip
        data = read_frame(str(st["frame_file"]))
        if data is None:
            _check(checks, "frame", False, f"frame file {st['frame_file']} not found", tier)
            _check(checks, "selection", False, "not checked: no frame file", tier)
            continue
        digest = hashlib.sha256(data).hexdigest()
        _check(checks, "frame_sha256", digest == st["frame_sha256"],
               f"{st['frame_file']}: sha256 matches" if digest == st["frame_sha256"]
               else f"{st['frame_file']}: sha256 is {digest}, record says {st['frame_sha256']}",
               tier)  # fmt: skip
        try:
            frame = parse_frame(data)
        except UnicodeDecodeError as e:
            _check(checks, "frame", False, f"{st['frame_file']}: not UTF-8 ({e})", tier)
            continue
        _check(
            checks,
            "frame_size",
            len(frame) == n_frame,
            f"{len(frame)} codes in {st['frame_file']}, record says {n_frame}",
            tier,
        )
        bad_order = next((i for i in range(1, len(frame)) if frame[i - 1] >= frame[i]), None)
        _check(checks, "frame_order", bad_order is None,
               "sorted ascending, no repeats" if bad_order is None
               else f"line {bad_order + 1} ({frame[bad_order]}) is not after line {bad_order} "
               f"({frame[bad_order - 1]})", tier)  # fmt: skip
        drawn = select(s, frame, n)
        published = [str(c) for c in st["selected"]]
        extra = sorted(set(published) - set(drawn))
        lacking = sorted(set(drawn) - set(published))
        same = not extra and not lacking and len(published) == len(drawn)
        detail = f"{len(drawn)} drawn codes match" if same else "; ".join(
            part for part in (
                f"published but not drawn: {', '.join(extra[:5])}" + (" …" if len(extra) > 5
                                                                       else "") if extra else "",
                f"drawn but not published: {', '.join(lacking[:5])}" + (" …" if len(lacking) > 5
                                                                        else "") if lacking
                else "",
                f"{len(published)} published, {len(drawn)} drawn"
                if len(published) != len(drawn) else "",
            ) if part
        )  # fmt: skip
        _check(checks, "selection", same, detail, tier)
    ok = all(c["ok"] for c in checks)
    return {"ok": ok, "plan_id": record.get("plan_id"), "checks": checks}


def folder_reader(folders: list[Path]) -> Callable[[str], bytes | None]:
    """read_frame over files: the first folder holding the relative path wins. Paths that climb
    out of the folder (absolute, '..') are refused: a record names files inside its publication."""

    def read(relative: str) -> bytes | None:
        rel = Path(relative)
        if rel.is_absolute() or ".." in rel.parts:
            return None
        for folder in folders:
            path = folder / rel
            if path.is_file():
                return path.read_bytes()
        return None

    return read


def verify_file(record_path: Path, base: Path | None = None) -> dict[str, Any]:
    """Load a record file and verify it against frame files on disk."""
    record = json.loads(Path(record_path).read_text(encoding="utf-8"))
    here = Path(record_path).resolve().parent
    folders = [Path(base)] if base is not None else [here, here.parent]
    result = verify_record(record, folder_reader(folders))
    result["record"] = str(record_path)
    return result


def report_text(result: dict[str, Any]) -> str:
    lines = [f"draw record {result.get('record', '')} (plan {result.get('plan_id')})"]
    for c in result["checks"]:
        where = f"[{c['stratum']}] " if c["stratum"] is not None else ""
        lines.append(f"  {'ok  ' if c['ok'] else 'FAIL'} {where}{c['check']}: {c['detail']}")
    lines.append("MATCH: the draw re-runs exactly as published" if result["ok"]
                 else "MISMATCH: see the FAIL lines above")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="verify a Suicha draw record")
    p.add_argument("record", help="the draw record JSON, e.g. draws/<plan_id>.json")
    p.add_argument("--base", help="folder the record's frame_file paths are relative to")
    p.add_argument("--json", action="store_true", help="print the checks as JSON")
    args = p.parse_args(argv)
    try:
        result = verify_file(Path(args.record), Path(args.base) if args.base else None)
    except (OSError, ValueError) as e:
        print(f"error: {args.record}: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(report_text(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
