"""End to end: a real campaign (commitment notice published, then the draw committed on the
beacon date, core.sampling) is published (python -m core publish, public and auditor packages)
and verified by the shipped verify_draw.py in a clean interpreter (no project on the path) and
by python -m core verify; a rehearsal campaign is refused by the publication."""

import datetime as dt
import json
import shutil
import subprocess
import sys

from core import db, sampling
from core.vocab import TZ
from tests.test_cli import cli

PUBLISHED = dt.datetime(2026, 1, 5, 10, 0, tzinfo=TZ)
BEACON_DAY = dt.datetime(2026, 1, 8, 16, 0, tzinfo=TZ)


def test_committed_campaign_publishes_and_verifies(small_path, tmp_path):
    con = db.connect(small_path)
    camp = sampling.publish_commitment(con, 2026, "test", dt.date(2026, 1, 8),
                                       clock=lambda: PUBLISHED)  # fmt: skip
    draw = sampling.commit(con, 2026, "admin", beacon="10523.45", clock=lambda: BEACON_DAY)
    con.close()
    assert not camp.rehearsal and len(draw.draw_ids) > 100

    out, aud = tmp_path / "pub", tmp_path / "aud"
    r = cli("publish", "--year", "2026", "--out", str(out), "--auditor-out", str(aud),
            "--db", str(small_path))  # fmt: skip
    assert r.returncode == 0, r.stderr
    records = [p for p in (out / "draws").glob("*.json") if p.name != "manifest.json"]
    assert len(records) == len(draw.draw_ids)
    for p in records:  # the public records carry no tier
        rec = json.loads(p.read_text(encoding="utf-8"))
        assert rec["format"] == "suicha-draw-record-v2" and '"tier"' not in p.read_text()
    assert not list((out / "frames").glob("*/*.txt"))  # no per-tier frame files in public

    # an outsider: the shipped verifier, in a clean interpreter, on the public package, then
    # with the auditor package as well
    clean = tmp_path / "outsider"
    shutil.copytree(out, clean / "pub")
    shutil.copytree(aud, clean / "aud")
    shutil.copy(out / "verify_draw.py", clean)
    for extra in ([], ["--auditor", "aud"]):
        r = subprocess.run(
            [sys.executable, "-I", "verify_draw.py", "pub", "--json", *extra],
            cwd=clean, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert r.returncode == 0, (r.stdout[-2000:], r.stderr[-2000:])
        result = json.loads(r.stdout)
        assert result["ok"] and len(result["checks"]) > len(records)
    r = cli("verify", str(out), "--auditor", str(aud))
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_rehearsal_campaign_is_not_published_as_real(small_path, tmp_path):
    con = db.connect(small_path)
    sampling.publish_commitment(con, 2026, "test", dt.date(2026, 1, 8), secret="chosen",
                                beacon_format="text-v1", clock=lambda: PUBLISHED)  # fmt: skip
    sampling.commit(con, 2026, "admin", beacon="any", plan_id="2026-S-0001")
    assert sampling.is_rehearsal(con, 2026)
    con.close()
    r = cli("publish", "--year", "2026", "--out", str(tmp_path / "pub"), "--db", str(small_path))
    assert r.returncode == 1 and "ehearsal" in (r.stderr + r.stdout)
    assert not (tmp_path / "pub" / "draws").exists()
