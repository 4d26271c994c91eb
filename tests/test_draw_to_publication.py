"""End to end: a real draw (core.sampling) is published (python -m core publish) and verified by an
outsider's script in a clean interpreter, and by python -m core verify."""

import datetime as dt
import json
import shutil
import subprocess
import sys

from core import db, sampling
from tests.test_cli import cli


def test_committed_campaign_publishes_and_verifies(small_path, tmp_path):
    con = db.connect(small_path)
    sampling.publish_commitment(con, 2026, "test", dt.date.today() + dt.timedelta(days=1),
                                secret="end-to-end")  # fmt: skip
    draw = sampling.commit(con, 2026, "admin", secret="end-to-end", beacon="10523.45")
    plans = sorted(set(draw.selections["plan_id"]))
    con.close()
    assert len(plans) > 100

    out = tmp_path / "pub"
    r = cli("publish", "--year", "2026", "--out", str(out), "--db", str(small_path))
    assert r.returncode == 0, r.stderr
    records = sorted((out / "draws").glob("*.json"))
    assert len(records) == len(draw.draw_ids)

    # an outsider: only the verifier, one record and its frames, no project on the path; the
    # record is one with a stratum that drew some but not all of its frame
    def partial(rec):
        return [s for s in rec["strata"] if 0 < s["quota"] < s["frame_size"]]

    loaded = [json.loads(p.read_text(encoding="utf-8")) for p in records]
    record = next(rec for rec in loaded if partial(rec))
    plan = record["plan_id"]
    assert record["beacon"] == "10523.45" and record["mode"] == "coordinated"
    clean = tmp_path / "outsider"
    (clean / "draws").mkdir(parents=True)
    shutil.copy(out / "verify_draw.py", clean)
    shutil.copy(out / "draws" / f"{plan}.json", clean / "draws")
    for s in record["strata"]:
        (clean / s["frame_file"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(out / s["frame_file"], clean / s["frame_file"])
    ok = subprocess.run([sys.executable, "-I", "verify_draw.py", f"draws/{plan}.json"],
                        cwd=clean, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr

    # the same check through the engine's CLI, over every published record
    for path in records[:25]:
        r = cli("verify", str(path), "--json")
        assert r.returncode == 0, r.stdout
        assert json.loads(r.stdout)["ok"] is True

    # one selected code swapped for a frame member that was not drawn: caught, stratum named
    s = partial(record)[0]
    frame = (clean / s["frame_file"]).read_text(encoding="utf-8").split("\n")
    outsider = next(c for c in frame if c not in s["selected"])
    s["selected"][0] = outsider
    (clean / "draws" / f"{plan}.json").write_text(json.dumps(record), encoding="utf-8")
    bad = subprocess.run([sys.executable, "-I", "verify_draw.py", f"draws/{plan}.json"],
                         cwd=clean, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert bad.returncode == 1
    assert s["tier"] in bad.stdout and outsider in bad.stdout
