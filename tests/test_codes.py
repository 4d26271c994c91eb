"""Coding rules: USCC check characters (GB 32100-2015) and Suicha's item codes."""

from pathlib import Path

import numpy as np
import pytest

from core import codes

REAL = Path(__file__).resolve().parents[2] / "shared" / "reference" / "uscc-valid-real-world.txt"
DOMAIN_VALID = ["91110108551385082Q", "91110000600037341L", "91350200MA2YJ1XR9G"]


def real_codes() -> list[str]:
    if REAL.exists():
        return [ln.strip() for ln in REAL.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return DOMAIN_VALID


def test_known_codes_are_valid():
    for code in DOMAIN_VALID + real_codes():
        assert codes.validate_uscc(code).ok, code


def test_real_world_file_is_read():
    if not REAL.exists():
        pytest.skip(f"{REAL} not present beside the checkout")
    assert len(real_codes()) == 200


def test_check_character_of_domain_example():
    assert codes.uscc_check_char("91110000600037342") == "P"
    check = codes.validate_uscc("91110000600037342L")
    assert not check.ok
    assert "expected P, got L" in check.reason_en
    assert "应为 P" in check.reason


def test_every_single_substitution_is_caught():
    # 31 is prime and every weight is non-zero mod 31, so any one changed character is caught.
    for code in real_codes()[:40]:
        for pos in range(18):
            for c in codes.USCC_CHARS:
                if c == code[pos]:
                    continue
                bad = code[:pos] + c + code[pos + 1 :]
                assert not codes.validate_uscc(bad).ok, bad


def test_adjacent_transpositions_are_mostly_caught():
    caught = total = 0
    for code in real_codes():
        for pos in range(17):
            if code[pos] == code[pos + 1]:
                continue
            bad = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
            total += 1
            caught += not codes.validate_uscc(bad).ok
    assert caught / total > 0.95


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91110108551385082", "length must be 18, got 17"),
        ("91110108551385082QQ", "length must be 18, got 19"),
        ("", "length must be 18, got 0"),
        ("9111010855138508IQ", "forbidden letter 'I'"),
        ("91110108551385O82Q", "forbidden letter 'O'"),
        ("9111010855138S082Q", "forbidden letter 'S'"),
        ("91110108V51385082Q", "forbidden letter 'V'"),
        ("91110108551385Z82Q", "forbidden letter 'Z'"),
        ("9111010855138508-Q", "not in the code's character set"),
        ("91110108551385082q", "not in the code's character set"),
        ("91110108551385082R", "wrong check character: expected Q, got R"),
    ],
)
def test_rejections_say_why(code, fragment):
    check = codes.validate_uscc(code)
    assert not check.ok
    assert fragment in check.reason_en
    assert check.reason  # Chinese reason too


def test_make_uscc_round_trips():
    code = codes.make_uscc("9", "1", "440305", "MA5ABCDE1")
    assert len(code) == 18
    assert codes.validate_uscc(code).ok
    with pytest.raises(ValueError):
        codes.make_uscc("9", "1", "440305", "MA5ABCDEI")


def test_vectorised_codes_match_scalar_rule():
    rng = np.random.default_rng(1)
    values = rng.integers(0, 31, size=(500, 17))
    minted = [b.decode() for b in codes.uscc_array(values)]
    for row, code in zip(values, minted, strict=True):
        body = "".join(codes.USCC_CHARS[v] for v in row)
        assert code == body + codes.uscc_check_char(body)
        assert codes.validate_uscc(code).ok


def test_base31_digits():
    assert codes.base31_digits(np.array([0, 30, 31, 31**3 - 1]), 3).tolist() == [
        [0, 0, 0], [0, 0, 30], [0, 1, 0], [30, 30, 30],
    ]  # fmt: skip
    with pytest.raises(ValueError):
        codes.base31_digits(np.array([31**3]), 3)


def test_item_code_rule():
    code = codes.make_item_code("440300M01", "A", 1)
    assert code == "440300M01-A-0001-8"
    assert codes.validate_item_code(code).ok
    assert codes.item_code_parts(code) == {
        "dept_code": "440300M01", "level": "city", "item_class": "A", "seq": "0001",
    }  # fmt: skip
    assert codes.item_code_parts(codes.make_item_code("440305J01", "C", 64))["level"] == "street"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("440300M01-A-0001-9", "wrong check character: expected 8, got 9"),
        ("440300M01-B-0001-8", "wrong check character"),  # class changed
        ("440300M02-A-0001-8", "wrong check character"),  # department changed
        ("440300M01-D-0001-8", "format"),
        ("440300X01-A-0001-8", "format"),
        ("440300M01A00018", "format"),
        ("440300M01-A-0000-" + codes._weighted_check("440300M01A0000"), "sequence"),
    ],
)
def test_item_code_rejections(code, fragment):
    check = codes.validate_item_code(code)
    assert not check.ok
    assert fragment in check.reason_en


def test_item_code_arguments_checked():
    with pytest.raises(ValueError):
        codes.make_item_code("440300M01", "D", 1)
    with pytest.raises(ValueError):
        codes.make_item_code("4403M01", "A", 1)
    with pytest.raises(ValueError):
        codes.make_item_code("440300M01", "A", 10000)
