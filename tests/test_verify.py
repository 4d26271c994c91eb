"""Draw verification: a published record re-runs exactly; any tampering fails and says where.

Records come from tests/draw_reference.py (hashlib, from DESIGN.md), stored in the contract
tables as a committed draw would be, then exported by `python -m core publish`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import db
from core import verify_draw_standalone as v
from tests import draw_reference as ref

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=cwd, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def published(pristine_small, tmp_path_factory):
    """A small DB with three committed draws, published with the CLI into a folder."""
    base = tmp_path_factory.mktemp("verify")
    path = base / "small.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    plans = ref.largest_plans(con, 3)
    records = ref.commit_draws(con, plans)
    con.close()
    out = base / "out"
    r = cli("publish", "--year", "2026", "--out", str(out), "--db", str(path), "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["draws"] == 3
    return out, records


def fresh_copy(published, tmp_path) -> tuple[Path, dict]:
    out, records = published
    dst = tmp_path / "pub"
    shutil.copytree(out, dst)
    return dst, records


def checks_failed(result: dict) -> set[tuple[str, str | None]]:
    return {(c["check"], c["stratum"]) for c in result["checks"] if not c["ok"]}


def test_published_records_verify(published):
    out, records = published
    for plan_id, record in records.items():
        path = out / "draws" / f"{plan_id}.json"
        assert json.loads(path.read_text(encoding="utf-8")) == record
        r = cli("verify", str(path), "--json")
        assert r.returncode == 0, r.stdout + r.stderr
        result = json.loads(r.stdout)
        assert result["ok"] and checks_failed(result) == set()
        selections = [c for c in result["checks"] if c["check"] == "selection"]
        assert [c["stratum"] for c in selections] == [s["tier"] for s in record["strata"]]
        # the selected codes are really quota-sized and drawn from the frame file
        for st in record["strata"]:
            frame = (out / st["frame_file"]).read_text(encoding="utf-8").split("\n")
            assert len(frame) == st["frame_size"] and frame == sorted(frame)
            assert set(st["selected"]) <= set(frame) and len(st["selected"]) == st["quota"]
    assert sum(len(s["selected"]) for r in records.values() for s in r["strata"]) > 20


def _tamper(out: Path, plan_id: str, change) -> Path:
    path = out / "draws" / f"{plan_id}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return path


def _biggest_stratum(record: dict) -> dict:
    return max(record["strata"], key=lambda s: s["quota"])


def test_altered_selected_code_fails_at_that_stratum(published, tmp_path):
    out, records = fresh_copy(published, tmp_path)
    plan_id, record = next(iter(records.items()))
    st = _biggest_stratum(record)
    frame = (out / st["frame_file"]).read_text(encoding="utf-8").split("\n")
    outsider = next(c for c in frame if c not in st["selected"])

    def swap(r):
        s = next(x for x in r["strata"] if x["tier"] == st["tier"])
        s["selected"][0] = outsider

    path = _tamper(out, plan_id, swap)
    r = cli("verify", str(path))
    assert r.returncode == 1
    assert f"FAIL [{plan_id}] [{st['tier']}] selection" in r.stdout and outsider in r.stdout
    assert st["selected"][0] in r.stdout  # the code that should have been there
    assert "MISMATCH" in r.stdout
    result = v.verify_file(path)
    assert checks_failed(result) == {("selection", st["tier"])}


def test_altered_seed_fails_derivation_and_every_selection(published, tmp_path):
    out, records = fresh_copy(published, tmp_path)
    plan_id, record = next(iter(records.items()))
    other = ref.sha("a different seed")
    path = _tamper(out, plan_id, lambda r: r.update(seed=other))
    result = v.verify_file(path)
    assert not result["ok"]
    failed = checks_failed(result)
    assert ("seed", None) in failed and ("commitment", None) not in failed
    # every stratum with something drawn and something left is drawn differently under the new S
    for st in record["strata"]:
        if 0 < st["quota"] < st["frame_size"]:
            assert ("selection", st["tier"]) in failed


def test_altered_ratio_fails_the_quota_of_that_stratum(published, tmp_path):
    out, records = fresh_copy(published, tmp_path)
    plan_id, record = next(iter(records.items()))
    st = _biggest_stratum(record)

    def halve(r):
        s = next(x for x in r["strata"] if x["tier"] == st["tier"])
        s["ratio_bp"] //= 2

    result = v.verify_file(_tamper(out, plan_id, halve))
    assert not result["ok"]
    assert checks_failed(result) == {("quota", st["tier"])}
    quota = next(c for c in result["checks"] if c["check"] == "quota" and not c["ok"])
    assert f"quota {st['quota']}" in quota["detail"]


def test_altered_frame_line_fails_its_hash(published, tmp_path):
    out, records = fresh_copy(published, tmp_path)
    plan_id, record = next(iter(records.items()))
    st = _biggest_stratum(record)
    frame_path = out / st["frame_file"]
    lines = frame_path.read_text(encoding="utf-8").split("\n")
    dropped = next(c for c in lines if c not in st["selected"])
    lines[lines.index(dropped)] = "91440300000000000X"  # one line replaced
    frame_path.write_text("\n".join(sorted(lines)), encoding="utf-8")
    result = v.verify_file(out / "draws" / f"{plan_id}.json")
    assert not result["ok"]
    assert ("frame_sha256", st["tier"]) in checks_failed(result)
    assert all(stratum == st["tier"] for _, stratum in checks_failed(result))
    r = cli("verify", str(out / "draws" / f"{plan_id}.json"))
    assert r.returncode == 1 and f"FAIL [{plan_id}] [{st['tier']}] frame_sha256" in r.stdout


def test_wrong_secret_fails_commitment(published, tmp_path):
    out, records = fresh_copy(published, tmp_path)
    plan_id = next(iter(records))
    result = v.verify_file(_tamper(out, plan_id, lambda r: r.update(secret="guessed")))
    failed = checks_failed(result)
    assert ("commitment", None) in failed and ("seed", None) in failed


def test_missing_frame_file_is_reported(published, tmp_path):
    out, records = fresh_copy(published, tmp_path)
    plan_id, record = next(iter(records.items()))
    st = record["strata"][0]
    (out / st["frame_file"]).unlink()
    result = v.verify_file(out / "draws" / f"{plan_id}.json")
    assert ("frame", st["tier"]) in checks_failed(result)
    assert "missing" in next(c["detail"] for c in result["checks"] if c["check"] == "frame")


def test_standalone_runs_in_a_clean_interpreter(published, tmp_path):
    """python -I from a folder holding only the script, one record and its frames."""
    out, records = published
    plan_id, record = next(iter(records.items()))
    work = tmp_path / "clean"
    work.mkdir()
    shutil.copy(out / "verify_draw.py", work / "verify_draw.py")
    shutil.copy(out / "draws" / f"{plan_id}.json", work / "record.json")
    for st in record["strata"]:
        (work / st["frame_file"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(out / st["frame_file"], work / st["frame_file"])
    assert (out / "verify_draw.py").read_bytes() == (ROOT / "core/verify_draw_standalone.py"
                                                     ).read_bytes()  # fmt: skip

    def run() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-I", "verify_draw.py", "record.json", "--json"], cwd=work,
            capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"},
        )  # fmt: skip

    r = run()
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["ok"] and result["plan_id"] == plan_id
    # and it can fail there too
    rec = json.loads((work / "record.json").read_text(encoding="utf-8"))
    rec["strata"][0]["quota"] += 1
    (work / "record.json").write_text(json.dumps(rec), encoding="utf-8")
    r = run()
    assert r.returncode == 1
    assert {(c["check"], c["stratum"]) for c in json.loads(r.stdout)["checks"] if not c["ok"]} >= {
        ("quota", rec["strata"][0]["tier"])
    }


def test_quota_is_integer_ceiling():
    assert v.quota(1234, 3000) == 371  # DESIGN.md's example: ceil(370.2)
    assert v.quota(10000, 3000) == 3000  # exact: no rounding up
    assert v.quota(3, 10000) == 3 and v.quota(3, 20000) == 3  # never more than N
    assert v.quota(1, 1) == 1 and v.quota(0, 500) == 0
    # a float would get this one wrong: 0.07 * 100 = 7.000000000000001, whose ceil is 8
    assert v.quota(100, 700) == 7


def test_ties_break_by_code():
    frame = ["91440300000000001A", "91440300000000002B", "91440300000000003C"]
    s = "seed"
    order = sorted(frame, key=lambda c: (v.prn(s, c), c))
    assert v.select(s, frame, 2) == order[:2]
    assert all(0 <= v.prn(s, c) < 1 for c in frame)


def test_bad_record_file_is_rejected(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = cli("verify", str(bad))
    assert r.returncode == 1 and "bad.json" in r.stderr
    bad.write_text("[1, 2]", encoding="utf-8")
    r = cli("verify", str(bad))
    assert r.returncode == 1 and "not a draw record" in r.stdout + r.stderr


def test_independent_mode_uses_seed_and_plan_id():
    frames = {"B": sorted(f"9144030000000{k:04d}X" for k in range(400)),
              "D": sorted(f"9144030000001{k:04d}Y" for k in range(60))}  # fmt: skip
    files = {f"frames/P-1/{t}.txt": "\n".join(c).encode() for t, c in frames.items()}
    independent = ref.make_record("P-1", frames, mode="independent")
    coordinated = ref.make_record("P-1", frames, mode="coordinated")
    assert v.verify_record(independent, files.get)["ok"]
    assert v.verify_record(coordinated, files.get)["ok"]
    # the two modes draw different samples; a record claiming the wrong mode fails
    assert independent["strata"][0]["selected"] != coordinated["strata"][0]["selected"]
    wrong = {**independent, "mode": "coordinated"}
    assert checks_failed(v.verify_record(wrong, files.get)) == {("selection", "B"),
                                                                  ("selection", "D")}  # fmt: skip
