"""The new draw engine (core/sampling/, issue 12) against the engine it replaced
(tests/sampling_v1_reference.py, core/sampling.py as it was): the same strata, the same
selections with the same u and ranks, the same frame files byte for byte, the same records."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil

import pandas as pd
import pytest

from core import db, sampling
from core.sampling import draw as drawing
from core.sampling import frames
from core.vocab import TZ
from tests import sampling_v1_reference as ref

YEAR = 2026
STRATA_COLS = ["plan_id", "item_class", "tier", "ratio_bp", "frame_size", "quota", "selected"]
SEL_COLS = ["plan_id", "tier", "uscc", "u", "rank"]


def _same_draw(new: sampling.Draw, old) -> None:
    a = new.strata[STRATA_COLS].sort_values(["plan_id", "tier"], ignore_index=True)
    b = old.strata[STRATA_COLS].sort_values(["plan_id", "tier"], ignore_index=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    a = new.selections[SEL_COLS].sort_values(["plan_id", "tier", "rank"], ignore_index=True)
    b = old.selections[SEL_COLS].sort_values(["plan_id", "tier", "rank"], ignore_index=True)
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b, check_dtype=False)  # u: the same doubles, exactly


@pytest.mark.parametrize("mode", ["coordinated", "independent"])
def test_campaign_preview_selects_as_the_old_engine(demo_con, mode):
    new = sampling.preview(demo_con, YEAR, secret="identity", beacon="b-1", mode=mode)
    old = ref.preview(demo_con, YEAR, secret="identity", beacon="b-1", mode=mode)
    _same_draw(new, old)
    assert new.total_selected == old.total_selected > 1_000


def test_one_plan_and_forced_fallback_select_as_the_old_engine(demo_con, monkeypatch):
    plan = demo_con.execute(
        "SELECT plan_id FROM plans WHERE year = ? ORDER BY plan_id LIMIT 1 OFFSET 7", [YEAR]
    ).fetchone()[0]
    _same_draw(
        sampling.preview(demo_con, YEAR, plan_id=plan, secret="one", beacon="x"),
        ref.preview(demo_con, YEAR, plan_id=plan, secret="one", beacon="x"),
    )
    monkeypatch.setattr(drawing, "CUTOFF_Z", -50.0)  # every stratum keeps too few: fallback
    monkeypatch.setattr(drawing, "CUTOFF_SLACK", 0.0)
    for mode in ("coordinated", "independent"):
        new = sampling.preview(demo_con, YEAR, secret="fb", beacon="y", mode=mode)
        assert new.cutoff_fallbacks == int((new.strata["quota"] > 0).sum()) > 100
        _same_draw(new, ref.preview(demo_con, YEAR, secret="fb", beacon="y", mode=mode))


def test_frame_hashes_equal_the_old_engines(demo_con):
    """Tier frames hashed from one sorted pass equal the old per-stratum text aggregates; the
    whole frame equals the sorted union of the tiers."""
    con = demo_con
    try:
        ref._compute(con, YEAR, None, "h", "", "coordinated")
        old = ref._frame_hashes(con)
        whole = dict(con.execute(
            "SELECT plan_id, sha256(string_agg(uscc, chr(10) ORDER BY uscc)) FROM _draw_frame "
            "GROUP BY ALL").fetchall())  # fmt: skip
    finally:
        ref._drop_temp(con)
    try:
        frames.build(con, YEAR, None, None)
        plans = sorted(frames.strata(con)["plan_id"].unique())
        new = frames.frame_hashes(con, plans)
    finally:
        frames.drop_temp(con)
    for (plan, tier), (size, sha) in new.tiers.items():
        assert sha == old.get((plan, tier), sampling.EMPTY_SHA256)
        assert (size == 0) == ((plan, tier) not in old)
    assert {p: h for p, (_, h) in new.whole.items() if p in whole} == whole
    assert all(h == sampling.EMPTY_SHA256 for p, (_, h) in new.whole.items() if p not in whole)


def test_committed_records_and_frame_files_equal_the_old_engines(pristine_small, tmp_path):
    """Commit the same secret and beacon with both engines (each on its own copy): the auditor
    record's strata are the old record's strata, and every frame file is byte-identical."""
    old_path, new_path = tmp_path / "old.duckdb", tmp_path / "new.duckdb"
    shutil.copy(pristine_small, old_path)
    shutil.copy(pristine_small, new_path)
    old_con, new_con = db.connect(old_path), db.connect(new_path)
    try:
        ref.ensure_campaign(old_con, YEAR, "t", secret="same-secret")
        old = ref.commit(old_con, YEAR, "t", secret="same-secret", beacon="same beacon")
        published = dt.datetime(2026, 1, 5, 10, tzinfo=TZ)
        sampling.publish_commitment(new_con, YEAR, "t", dt.date(2026, 1, 8), secret="same-secret",
                                    beacon_format="text-v1", clock=lambda: published)  # fmt: skip
        new = sampling.commit(new_con, YEAR, "t", beacon="same beacon")
        assert new.draw_ids == old.draw_ids and len(new.draw_ids) > 100
        files = sampling.frame_files(new_con, new.draw_ids)
        checked = 0
        for draw_id in new.draw_ids:
            old_rec = ref.draw_record(old_con, draw_id)
            new_rec = sampling.audit_record(new_con, draw_id)
            for key in ("algorithm", "campaign", "plan_id", "mode", "seed_commitment", "secret",
                        "beacon", "seed", "prn_seed", "prn"):  # fmt: skip
                assert new_rec[key] == old_rec[key], key
            by_tier = {s["tier"]: s for s in old_rec["strata"]}
            for s in new_rec["strata"]:
                if s["tier"] in by_tier:
                    assert s == by_tier[s["tier"]]
                else:  # the old engine left empty strata out of the frame hashes only
                    assert s["frame_size"] == 0 and s["frame_sha256"] == sampling.EMPTY_SHA256
                old_bytes = ref.frame_file_bytes(old_con, draw_id, s["tier"])
                assert files[draw_id][s["tier"]] == old_bytes
                assert sampling.frame_file_bytes(new_con, draw_id, s["tier"]) == old_bytes
                assert hashlib.sha256(old_bytes).hexdigest() == s["frame_sha256"]
                checked += bool(old_bytes)
            whole = sorted(
                c
                for t in "ABCD"
                for c in ref.frame_file_bytes(old_con, draw_id, t).decode().split("\n")
                if c
            )
            assert files[draw_id][None] == "\n".join(whole).encode()
        assert checked > 100
    finally:
        old_con.close()
        new_con.close()


def test_a_preview_leaves_the_database_file_byte_identical(pristine_small, tmp_path):
    path = tmp_path / "p.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    con.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    con = db.connect(path)
    try:
        for mode in ("coordinated", "independent"):
            assert sampling.preview(con, YEAR, secret="p", beacon="b", mode=mode).total_selected
        assert len(sampling.stratum_sizes(con, YEAR)) > 0
    finally:
        con.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
