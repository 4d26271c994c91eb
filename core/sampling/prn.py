"""Seeds and permanent random numbers (suicha-prn-sha256-v1, docs/draw-record.md §0).

u(c) = first 8 bytes of sha256(f"{prn_seed}|{c}") as a big-endian integer / 2**64 (a double).
This rule is fixed: the same seed gives the same selections in every release."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

from core.refusal import Refused
from core.vocab import BP

ALGORITHM = "suicha-prn-sha256-v1"
MODES = ("coordinated", "independent")
TWO_64 = 2**64
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()

PRN_DEFINITION = (
    "u(c) = int.from_bytes(hashlib.sha256(f'{prn_seed}|{c}'.encode()).digest()[:8], 'big') / 2**64 "
    "(a Python float); the quota = min(N, ceil(N * ratio_bp / 10000)) members with the smallest "
    "u are selected, ties by c ascending. prn_seed = seed in coordinated mode, "
    "f'{seed}|{plan_id}' in independent mode; seed = sha256(f'{secret}|{beacon}') hex."
)


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def canonical_bytes(obj: Any) -> bytes:
    """Canonical JSON (docs/draw-record.md §0): what is published and what is hashed."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def seed_commitment(secret: str) -> str:
    """sha256(secret) hex: published before the draw, so the secret cannot be changed later."""
    return sha256_hex(secret)


def campaign_seed(secret: str, beacon: str) -> str:
    """S = sha256(f"{secret}|{beacon}") hex."""
    return sha256_hex(f"{secret}|{beacon}")


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise Refused("draw.bad_mode", mode=mode, modes=", ".join(MODES))


def prn_seed(seed: str, plan_id: str, mode: str) -> str:
    """The string hashed in front of each code: S (coordinated) or f"{S}|{plan_id}"."""
    check_mode(mode)
    return seed if mode == "coordinated" else f"{seed}|{plan_id}"


def prn(seed: str, uscc: str) -> float:
    """u(c) for one code, in Python: the reference the SQL is tested against."""
    digest = hashlib.sha256(f"{seed}|{uscc}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / TWO_64


def quota(frame_size: int, ratio_bp: int) -> int:
    """n = min(N, ceil(N * bp / 10000)) in integer arithmetic."""
    return min(frame_size, -(-frame_size * ratio_bp // BP))


def u_sql(seed_expr: str, code_expr: str) -> str:
    """SQL for u: the first 16 hex digits of the SHA-256 hex, as UBIGINT, over 2^64 (DOUBLE:
    a correctly rounded cast, then an exact division by a power of two, as Python's int / int)."""
    return (
        f"(CAST(CAST('0x' || substr(sha256({seed_expr} || '|' || {code_expr}), 1, 16) "
        f"AS UBIGINT) AS DOUBLE) / 18446744073709551616.0)"
    )


# ------------------------------------------------------------------------------------------
# Beacons (docs/draw-record.md §1.1)
# ------------------------------------------------------------------------------------------

_RED = r"(0[1-9]|[12][0-9]|3[0-3])"
BEACON_FORMATS: dict[str, str | None] = {
    "szse-close-2dp": r"[1-9][0-9]{0,6}\.[0-9]{2}",
    "cwl-ssq": rf"{_RED}( {_RED}){{5}} \+ (0[1-9]|1[0-6])",
    "text-v1": None,
}
DEFAULT_BEACON_FORMAT = "szse-close-2dp"
DEFAULT_BEACON_SOURCE = (
    "深证成指 (SZSE Component Index, 399001) closing value on the beacon date, "
    "as published by the Shenzhen Stock Exchange, written with two decimals"
)
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def check_beacon_format(fmt: str) -> None:
    if fmt not in BEACON_FORMATS:
        raise Refused("draw.unknown_beacon_format", format=fmt, formats=", ".join(BEACON_FORMATS))


def check_beacon(value: str, fmt: str) -> None:
    """Refuse a beacon value that is not a clean value of its declared format."""
    check_beacon_format(fmt)
    if not isinstance(value, str) or not value:
        raise Refused("draw.beacon_empty")
    bad = [c for c in value if unicodedata.category(c) in _BAD_CATEGORIES]
    if bad:
        raise Refused("draw.beacon_control", char=f"U+{ord(bad[0]):04X}")
    if len(value) > 200 or value != value.strip() or unicodedata.normalize("NFC", value) != value:
        raise Refused("draw.beacon_format", value=value, format=fmt)
    pattern = BEACON_FORMATS[fmt]
    if pattern is not None and not re.fullmatch(pattern, value):
        raise Refused("draw.beacon_format", value=value, format=fmt)
    if fmt == "cwl-ssq":
        reds = [int(x) for x in value.split(" + ")[0].split()]
        if reds != sorted(set(reds)):
            raise Refused("draw.beacon_format", value=value, format=fmt)
