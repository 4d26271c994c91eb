"""python -m core draw as a rehearsal (--secret): the beacon format asked for is the notice's,
and commit checks the beacon against it (real subprocesses on a copy of the small dataset)."""

from __future__ import annotations

import duckdb

from core import sampling
from tests.test_cli import cli

SSQ = "01 02 03 04 05 06 + 07"


def _notices(path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT commitment_id, beacon_format, beacon_source, supersedes, rehearsal "
            "FROM draw_commitments ORDER BY commitment_id"
        ).fetchall()
    finally:
        con.close()


def _draws(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM draws").fetchone()[0]
    finally:
        con.close()


def draw(path, *args: str):
    return cli("draw", "--db", str(path), "--year", "2026", "--secret", "rehearse", *args)


def test_rehearsal_notice_carries_the_given_beacon_format(small_path):
    # a beacon that is not a 双色球 draw is refused at commit, under a cwl-ssq notice
    r = draw(small_path, "--beacon-format", "cwl-ssq", "--beacon", "10523.45", "--commit")
    assert r.returncode == 1
    assert "cwl-ssq" in r.stderr and "10523.45" in r.stderr and "Traceback" not in r.stderr
    assert _notices(small_path) == [
        ("2026-c1", "cwl-ssq", sampling.DEFAULT_BEACON_SOURCE, None, True)
    ]
    assert _draws(small_path) == 0
    # a clean cwl-ssq value commits under that notice
    r = draw(small_path, "--beacon-format", "cwl-ssq", "--beacon", SSQ, "--commit", "--json")
    assert r.returncode == 0, r.stderr
    assert len(_notices(small_path)) == 1 and _draws(small_path) > 0
    plans = _draws(small_path)
    # another format asked for: a new notice of that format supersedes the old one (it used to
    # be ignored, and the beacon checked against the old notice's cwl-ssq)
    r = draw(small_path, "--beacon-format", "text-v1", "--beacon", "hello",
             "--beacon-source", "a test's word", "--commit", "--reason", "format")  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert _notices(small_path)[-1] == ("2026-c2", "text-v1", "a test's word", "2026-c1", True)
    assert _draws(small_path) == 2 * plans
    # the same notice without --beacon-format: reused (no third notice), its format checked
    r = draw(small_path, "--beacon", SSQ.replace("07", "08"), "--commit", "--reason", "again")
    assert r.returncode == 0, r.stderr
    assert len(_notices(small_path)) == 2
    r = draw(small_path, "--beacon-format", "szse-close-2dp", "--beacon", "hello", "--commit",
             "--reason", "bad")  # fmt: skip
    assert r.returncode == 1 and "szse-close-2dp" in r.stderr
    assert _notices(small_path)[-1][:2] == ("2026-c3", "szse-close-2dp")
    assert _draws(small_path) == 3 * plans
