"""Coding rules of the 一单两库: unified social credit codes and inspection-item codes.

One code tracks a thing everywhere ("一码跟踪、一码通行"), so both kinds of code carry a check
character that catches typing errors before a bad code enters a registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from core.vocab import ITEM_CLASSES

# GB 32100-2015: 31 characters, no I, O, S, V, Z; a character's value is its index.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARS)}
# Weight of position i (1-based) is 3^(i-1) mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
USCC_FORBIDDEN = set("IOSVZ")

REGISTRATION_AUTHORITIES = {
    "1": "机构编制 organisation staffing",
    "5": "民政 civil affairs",
    "9": "工商/市场监管 market regulation",
    "N": "农业 agriculture",
    "Y": "其他 other",
}


@dataclass(frozen=True)
class CodeCheck:
    """Outcome of validating a code: `ok`, and when not ok the reason in both languages."""

    ok: bool
    reason: str = ""
    reason_en: str = ""

    def __bool__(self) -> bool:
        return self.ok


def uscc_check_char(body17: str) -> str:
    """The 18th character of a unified social credit code from its first 17."""
    total = sum(USCC_VALUE[c] * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def validate_uscc(code: str) -> CodeCheck:
    """Say whether `code` is a valid 统一社会信用代码, and if not, why."""
    if not isinstance(code, str):
        return CodeCheck(False, "代码不是文本", "code is not text")
    if len(code) != 18:
        return CodeCheck(
            False, f"长度应为18位,实为{len(code)}位", f"length must be 18, got {len(code)}"
        )
    bad = [c for c in code if c not in USCC_VALUE]
    if bad:
        first = bad[0]
        if first in USCC_FORBIDDEN:
            why = f"含禁用字母 {first} (I、O、S、V、Z 不得使用)"
            why_en = f"forbidden letter {first!r} (I, O, S, V, Z are not used)"
        else:
            why = f"含非法字符 {first!r}"
            why_en = f"character {first!r} is not in the code's character set"
        return CodeCheck(False, why, why_en)
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return CodeCheck(
            False,
            f"校验码错误:应为 {expected},实为 {code[17]}",
            f"wrong check character: expected {expected}, got {code[17]}",
        )
    return CodeCheck(True)


def is_valid_uscc(code: str) -> bool:
    return validate_uscc(code).ok


def make_uscc(authority: str, category: str, division: str, org9: str) -> str:
    """Assemble a valid code from its parts (registration authority, category, 6-digit
    division code, 9-character organisation code), appending the check character."""
    body = f"{authority}{category}{division}{org9}"
    if len(body) != 17 or any(c not in USCC_VALUE for c in body):
        raise ValueError(f"invalid USCC body {body!r}")
    return body + uscc_check_char(body)


_USCC_LUT = np.frombuffer(USCC_CHARS.encode("ascii"), dtype=np.uint8)


def uscc_array(values: np.ndarray) -> np.ndarray:
    """Vectorised: rows of 17 character values (0..30) -> array of 18-byte ASCII codes.

    Used by the synthetic generator to mint millions of valid codes without a Python loop.
    """
    values = np.asarray(values, dtype=np.int64)
    check = (31 - (values @ np.asarray(USCC_WEIGHTS, dtype=np.int64)) % 31) % 31
    full = np.concatenate([values, check[:, None]], axis=1)
    chars = _USCC_LUT[full]
    return np.ascontiguousarray(chars).view("S18").ravel()


def base31_digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """Vectorised: non-negative integers -> rows of `width` base-31 digit values."""
    numbers = np.asarray(numbers, dtype=np.int64)
    out = np.empty((numbers.size, width), dtype=np.int64)
    rest = numbers.copy()
    for i in range(width - 1, -1, -1):
        out[:, i] = rest % 31
        rest //= 31
    if (rest != 0).any():
        raise ValueError(f"number too large for {width} base-31 digits")
    return out


# ---------------------------------------------------------------------------------------------
# Department and inspection-item codes (Suicha's coding rule)
#
#   department code  = division(6 digits) + level letter + sequence(2)     e.g. 440305Q03
#                      level letter: M 市级 municipal, Q 区级 district, J 街道 street
#   item code        = department code - class - sequence(4) - check        e.g. 440300M01-A-0001-8
#                      class: A 一般事项 general, B 重点事项 key, C 联合事项 joint
#                      check: the USCC rule (values in USCC_CHARS, weights 3^(i-1) mod 31)
#                      over the 14 characters without hyphens.
#
# Every character comes from USCC_CHARS, so one checker serves both kinds of code, and the code
# alone says which department owns the item and its class.
# ---------------------------------------------------------------------------------------------

LEVEL_LETTERS = {"city": "M", "district": "Q", "street": "J"}
LEVEL_OF_LETTER = {v: k for k, v in LEVEL_LETTERS.items()}

DEPT_CODE_RE = re.compile(r"^(\d{6})([MQJ])(\d{2})$")
ITEM_CODE_RE = re.compile(r"^(\d{6}[MQJ]\d{2})-([ABC])-(\d{4})-([0-9A-Y])$")


def make_dept_code(division: str, level: str, seq: int) -> str:
    code = f"{division}{LEVEL_LETTERS[level]}{seq:02d}"
    if not DEPT_CODE_RE.match(code):
        raise ValueError(f"invalid department code {code!r}")
    return code


def _weighted_check(body: str) -> str:
    total = sum(USCC_VALUE[c] * pow(3, i, 31) for i, c in enumerate(body))
    return USCC_CHARS[(31 - total % 31) % 31]


def make_item_code(dept_code: str, item_class: str, seq: int) -> str:
    """The code of item number `seq` of class `item_class` owned by `dept_code`."""
    if not DEPT_CODE_RE.match(dept_code):
        raise ValueError(f"invalid department code {dept_code!r}")
    if item_class not in ITEM_CLASSES:
        raise ValueError(f"invalid item class {item_class!r}")
    if not 1 <= seq <= 9999:
        raise ValueError(f"item sequence out of range: {seq}")
    body = f"{dept_code}{item_class}{seq:04d}"
    return f"{dept_code}-{item_class}-{seq:04d}-{_weighted_check(body)}"


def validate_item_code(code: str) -> CodeCheck:
    """Say whether `code` follows the item coding rule, and if not, why."""
    if not isinstance(code, str):
        return CodeCheck(False, "代码不是文本", "code is not text")
    m = ITEM_CODE_RE.match(code)
    if not m:
        return CodeCheck(
            False,
            "格式应为 部门代码-类别-序号-校验码,如 440300M01-A-0001-8",
            "format must be DEPT-CLASS-SEQ-CHECK, e.g. 440300M01-A-0001-8",
        )
    dept, cls, seq, check = m.groups()
    if seq == "0000":
        return CodeCheck(False, "序号不能为0000", "sequence must not be 0000")
    expected = _weighted_check(f"{dept}{cls}{seq}")
    if check != expected:
        return CodeCheck(
            False,
            f"校验码错误:应为 {expected},实为 {check}",
            f"wrong check character: expected {expected}, got {check}",
        )
    return CodeCheck(True)


def item_code_parts(code: str) -> dict[str, str]:
    """Department, level, class and sequence read back from a valid item code."""
    check = validate_item_code(code)
    if not check:
        raise ValueError(check.reason_en)
    m = ITEM_CODE_RE.match(code)
    assert m is not None
    dept, cls, seq, _ = m.groups()
    return {
        "dept_code": dept,
        "level": LEVEL_OF_LETTER[dept[6]],
        "item_class": cls,
        "seq": seq,
    }
