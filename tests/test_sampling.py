"""The draw engine (core/sampling.py) on real DuckDB files, tiers scored at build time."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math

import pytest

from core import audit, db, sampling
from core.vocab import TZ

YEAR = 2026


@pytest.fixture(scope="module")
def scored(demo_con):
    """The demo dataset (200,000 targets), scored by the risk model when it was built."""
    return demo_con


@pytest.fixture
def scored_small(small_con):
    return small_con


FRAME_SQL = """
    SELECT p.plan_id, r.tier, t.uscc FROM plans p JOIN targets t
      ON list_contains(p.frame_kinds, t.kind)
     AND (p.frame_industries IS NULL OR list_contains(p.frame_industries, t.industry))
     AND (p.frame_districts IS NULL OR list_contains(p.frame_districts, t.district))
     AND (p.frame_streets IS NULL OR list_contains(p.frame_streets, t.street))
    JOIN risk r USING (uscc)
    WHERE p.plan_id = ?
"""


def u_ref(seed: str, code: str) -> float:
    return int.from_bytes(hashlib.sha256(f"{seed}|{code}".encode()).digest()[:8], "big") / 2**64


def test_members_keep_their_own_tier_when_risk_is_not_in_targets_order(scored_small):
    """Frames read tiers by row position when risk is in targets' order, and by code when it
    is not: the same draw either way, and every member's tier is the one scored for its code."""
    from core import risk
    from core.sampling import frames
    from tests.test_speed_reads import shuffle_risk

    con = scored_small
    assert risk.aligned(con)
    before = sampling.preview(con, YEAR, secret="order", beacon="")
    shuffle_risk(con)
    assert not risk.aligned(con)
    after = sampling.preview(con, YEAR, secret="order", beacon="")
    assert after.selections.equals(before.selections) and after.strata.equals(before.strata)
    try:
        frames.build(con, YEAR, None, None)
        wrong = con.execute(
            "SELECT count(*) FROM _dr_members m JOIN risk r USING (uscc) WHERE m.tier <> r.tier"
        ).fetchall()[0][0]
        n = con.execute("SELECT count(*) FROM _dr_members").fetchall()[0][0]
    finally:
        frames.drop_temp(con)
    assert wrong == 0 and n > 1_000


def test_prn_in_sql_equals_hashlib(scored_small):
    """u computed in SQL for every frame member (in a temp table, never stored) is hashlib's."""
    from core.sampling import frames

    con = scored_small
    seed = sampling.campaign_seed("s3cret", "beacon-1")
    assert seed == hashlib.sha256(b"s3cret|beacon-1").hexdigest()
    try:
        frames.build(con, YEAR, None, seed)
        rows = con.execute("SELECT uscc, u FROM _dr_members").fetchall()
    finally:
        frames.drop_temp(con)
    assert 1_000 < len(rows) <= 5_000
    assert all(u == u_ref(seed, c) for c, u in rows)  # exact: same double
    assert all(0.0 <= u < 1.0 for _, u in rows)


def test_quotas_are_ceil_of_ratio_and_frames_match_the_plans(scored):
    draw = sampling.preview(scored, YEAR, secret="q", beacon="b")
    strata = draw.strata
    assert len(strata) == 758 * 4
    defaults = sampling.default_ratios(scored)
    for s in strata.itertuples():
        assert s.ratio_bp == defaults.loc[s.item_class, s.tier]
        assert s.quota == min(s.frame_size, math.ceil(s.frame_size * s.ratio_bp / 10_000))
        assert s.selected == s.quota
    # frame sizes agree with an independent frame query for some plans
    for plan_id in ["2026-S-0001", "2026-S-0100", "2026-J-0007"]:
        sizes = {}
        for _, tier, _ in scored.execute(FRAME_SQL, [plan_id]).fetchall():
            sizes[tier] = sizes.get(tier, 0) + 1
        got = strata[strata.plan_id == plan_id].set_index("tier")["frame_size"].to_dict()
        assert got == {t: sizes.get(t, 0) for t in "ABCD"}
    assert draw.total_selected == int(strata["quota"].sum()) > 0


def test_selection_is_the_smallest_u_and_no_target_twice(scored):
    draw = sampling.preview(scored, YEAR, secret="q", beacon="b")
    sel = draw.selections
    assert not sel.duplicated(["plan_id", "uscc"]).any()
    plan_id = "2026-S-0002"
    frame = scored.execute(FRAME_SQL, [plan_id]).fetchall()
    for tier in "ABCD":
        codes = sorted((u_ref(draw.seed, c), c) for _, t, c in frame if t == tier)
        n = sampling.quota(len(codes), int(sampling.default_ratios(scored).loc["A", tier]))
        want = [c for _, c in codes[:n]]
        got = sel[(sel.plan_id == plan_id) & (sel.tier == tier)].sort_values("rank")
        assert got["uscc"].tolist() == want


def test_same_seed_same_selection_other_seed_other_selection(scored):
    a = sampling.preview(scored, YEAR, secret="k", beacon="2026-01-05")
    b = sampling.preview(scored, YEAR, secret="k", beacon="2026-01-05")
    c = sampling.preview(scored, YEAR, secret="k", beacon="2026-01-06")
    assert a.seed == b.seed != c.seed
    key = ["plan_id", "tier", "rank"]
    assert a.selections.sort_values(key)["uscc"].tolist() == (
        b.selections.sort_values(key)["uscc"].tolist()
    )
    assert set(zip(a.selections.plan_id, a.selections.uscc, strict=True)) != set(
        zip(c.selections.plan_id, c.selections.uscc, strict=True)
    )
    assert a.strata["quota"].tolist() == c.strata["quota"].tolist()  # quotas need no seed


def test_coordinated_overlaps_more_than_independent(scored):
    """Coordination: plans with overlapping frames share drawn targets; independent mode uses
    the seed f"{S}|{plan_id}" per plan."""
    co = sampling.preview(scored, YEAR, secret="k", beacon="x")
    ind = sampling.preview(scored, YEAR, secret="k", beacon="x", mode="independent")
    assert co.strata["quota"].tolist() == ind.strata["quota"].tolist()
    assert co.total_selected == ind.total_selected
    assert co.selections["uscc"].nunique() < ind.selections["uscc"].nunique()
    one = ind.selections[ind.selections.plan_id == "2026-S-0003"]
    plan_seed = sampling.prn_seed(ind.seed, "2026-S-0003", "independent")
    assert plan_seed == f"{ind.seed}|2026-S-0003"
    assert all(u == u_ref(plan_seed, c) for c, u in zip(one.uscc, one.u, strict=True))


def test_cutoff_fallback_gives_the_identical_selection(scored, monkeypatch):
    fast = sampling.preview(scored, YEAR, secret="k", beacon="cut")
    assert fast.cutoff_fallbacks == 0
    # a cut-off far too low: every stratum falls back to the full sort
    monkeypatch.setattr(sampling.draw, "CUTOFF_Z", -50.0)
    slow = sampling.preview(scored, YEAR, secret="k", beacon="cut")
    assert slow.cutoff_fallbacks > 100
    key = ["plan_id", "tier", "rank"]
    assert fast.selections.sort_values(key)["uscc"].tolist() == (
        slow.selections.sort_values(key)["uscc"].tolist()
    )


def test_draw_refuses_without_risk_tiers(small_con):
    _notice(small_con)
    small_con.execute("DELETE FROM risk")  # as if the targets had never been scored
    before = db.content_hash(small_con, "draws")
    with pytest.raises(sampling.DrawRefused, match="score the targets first"):
        sampling.preview(small_con, YEAR, secret="s")
    with pytest.raises(sampling.DrawRefused, match="python -m core risk") as err:
        _commit(small_con, plan_id="2026-S-0001")
    assert err.value.key == "draw.no_risk" and "风险等级" in err.value.message("zh")
    assert db.content_hash(small_con, "draws") == before
    with pytest.raises(sampling.DrawRefused, match="no plan"):
        sampling.preview(small_con, YEAR, plan_id="nope", secret="s")
    with pytest.raises(sampling.DrawRefused, match="mode"):
        sampling.preview(small_con, YEAR, secret="s", mode="sideways")


@pytest.mark.parametrize(
    "change, rule",
    [
        ({"A": {"D": 4000}}, "a_class_at_most_10pct"),  # (40+80+400+4000)/4 = 1130 bp
        ({"B": {"D": 2000}}, "b_class_at_least_10pct"),  # (50+150+800+2000)/4 = 750 bp
        ({"C": {"A": 0}}, "tier_above_zero"),
        ({"A": {"B": 10001}}, "tier_above_zero"),
        ({"B": {"C": "ten"}}, "not_a_number"),
        ({"A": {"A": 2.5}}, "not_whole_bp"),
    ],
)
def test_ratio_rules_refused_and_nothing_saved(scored_small, change, rule):
    con = scored_small
    tables = ["ratio_rules", "meta"]
    before = {t: db.content_hash(con, t) for t in tables}
    seq = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    with pytest.raises(sampling.RatioRuleError) as err:
        sampling.save_default_ratios(con, change, "policy")
    assert err.value.rule == rule and err.value.key == f"ratio.{rule}"
    assert err.value.message("zh") != err.value.message("en") != err.value.key
    assert {t: db.content_hash(con, t) for t in tables} == before
    assert _attempts_since(con, seq) == [("sampling.ratios.default", f"ratio.{rule}")]


def _attempts_since(con, seq: int) -> list[tuple[str, str | None]]:
    """The audit entries after `seq`: a refused write leaves only its attempt (core/writes.py)."""
    return [(a, d.get("refusal") or d.get("error"))
            for a, d in ((a, json.loads(d)) for a, d in con.execute(
                "SELECT action, detail FROM audit_log WHERE seq > ? ORDER BY seq", [seq]
            ).fetchall()) if d.get("attempt")]  # fmt: skip


def test_ratio_save_and_plan_override_change_the_quotas(scored_small):
    con = scored_small
    sampling.save_default_ratios(con, {"A": {"D": 2400}}, "policy")
    assert sampling.default_ratios(con).loc["A", "D"] == 2400
    plan = "2026-S-0060"  # a B-class plan
    with pytest.raises(sampling.RatioRuleError, match="at least 1000 bp"):
        sampling.save_plan_ratios(con, plan, {"A": 100, "B": 100, "C": 100, "D": 100}, "policy")
    assert sampling.plan_overrides(con).empty
    sampling.save_plan_ratios(con, plan, {"A": 2000, "B": 2000, "C": 2000, "D": 2000}, "policy")
    draw = sampling.preview(con, YEAR, plan_id=plan, secret="s")
    for s in draw.strata.itertuples():
        assert s.ratio_bp == 2000 and s.quota == math.ceil(s.frame_size * 0.2)
    sampling.clear_plan_ratios(con, plan, "policy")
    draw = sampling.preview(con, YEAR, plan_id=plan, secret="s")
    assert draw.strata["ratio_bp"].tolist() == sampling.default_ratios(con).loc["B"].tolist()
    actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
    assert actions[-3:] == [
        "sampling.ratios.default",
        "sampling.ratios.plan",
        "sampling.ratios.plan_cleared",
    ]
    assert audit.verify_chain(con) == (True, None)


PUBLISHED = dt.datetime(2026, 1, 5, 10, 0, tzinfo=TZ)
BEACON_DAY = dt.datetime(2026, 1, 8, 16, 0, tzinfo=TZ)


def _notice(con, secret=None, **kw):
    """Publish the commitment notice on 5 January, beacon on 8 January."""
    kw.setdefault("beacon_format", "text-v1" if secret else "szse-close-2dp")
    return sampling.publish_commitment(con, YEAR, "admin", dt.date(2026, 1, 8), secret=secret,
                                       clock=lambda: PUBLISHED, **kw)  # fmt: skip


def _commit(con, **kw):
    kw.setdefault("beacon", "10523.47")
    return sampling.commit(con, YEAR, "admin", clock=lambda: BEACON_DAY, **kw)


def test_commit_record_immutability_and_redraw(scored_small):
    con = scored_small
    camp = _notice(con)
    assert len(camp.secret) == 64 and camp.seed_commitment == sampling.seed_commitment(camp.secret)
    assert not camp.rehearsal and sampling.commitment_in_force(con, YEAR) == camp
    with pytest.raises(sampling.DrawRefused, match="commitment"):
        _commit(con, plan_id="2026-S-0001", secret="guess")
    plan = "2026-S-0001"
    preview = sampling.preview(con, YEAR, plan_id=plan, beacon="3051.27")
    (draw_id,) = _commit(con, plan_id=plan, beacon="3051.27").draw_ids
    assert draw_id == f"{plan}-d1"
    record = sampling.draw_record(con, draw_id)
    assert record["format"] == "suicha-draw-audit-v1"
    assert record["algorithm"] == "suicha-prn-sha256-v1" and record["campaign"] == "2026"
    assert record["secret"] == camp.secret and record["beacon"] == "3051.27"
    assert record["seed"] == hashlib.sha256(f"{camp.secret}|3051.27".encode()).hexdigest()
    assert [s["tier"] for s in record["strata"]] == list("ABCD")
    for s in record["strata"]:
        frame = sampling.frame_file_bytes(con, draw_id, s["tier"])
        assert hashlib.sha256(frame).hexdigest() == s["frame_sha256"]
        assert len(frame.split(b"\n")) == s["frame_size"] or s["frame_size"] == 0
        assert not frame.endswith(b"\n")
        assert s["frame_file"] == f"frames/{plan}/{s['tier']}.txt"
        assert len(s["selected"]) == s["quota"]
    stored = con.execute(
        "SELECT uscc FROM draw_selections WHERE draw_id = ? ORDER BY tier, rank", [draw_id]
    ).fetchall()
    assert [r[0] for r in stored] == [c for s in record["strata"] for c in s["selected"]]
    assert [r[0] for r in stored] == preview.selections["uscc"].tolist()  # preview = commit
    # a second commit of the same plan needs a reason, and changes nothing without one
    before = db.content_hash(con, "draws")
    with pytest.raises(sampling.DrawRefused, match="needs a") as err:
        _commit(con, plan_id=plan, beacon="3051.28")
    assert err.value.key == "draw.redraw_needs_reason"
    assert db.content_hash(con, "draws") == before
    (new_id,) = _commit(con, plan_id=plan, beacon="3051.28", reason="beacon misread").draw_ids
    assert new_id == f"{plan}-d2"
    new = sampling.draw_record(con, new_id)
    assert new["supersedes"] == draw_id and new["reason"] == "beacon misread"
    assert sampling.draw_record(con, draw_id) == record  # the old one is kept, unchanged
    listing = sampling.committed_draws(con, YEAR).set_index("draw_id")
    assert listing.loc[draw_id, "in_force"] == False  # noqa: E712 (numpy bool)
    assert listing.loc[new_id, "in_force"] == True  # noqa: E712
    actions = [r[0] for r in con.execute(
        "SELECT action FROM audit_log WHERE NOT coalesce("
        "json_extract(detail, '$.attempt')::BOOLEAN, false) ORDER BY seq").fetchall()]  # fmt: skip
    assert actions.count("sampling.draw.commit") == 2
    refusals = con.execute(
        "SELECT json_extract_string(detail, '$.refusal') FROM audit_log "
        "WHERE action = 'sampling.draw.commit' AND json_extract(detail, '$.attempt')::BOOLEAN "
        "ORDER BY seq").fetchall()  # fmt: skip
    assert [r[0] for r in refusals][-1] == "draw.redraw_needs_reason"
    assert "sampling.commitment.publish" in actions
    assert audit.verify_chain(con) == (True, None)


def test_commit_is_all_or_nothing(scored_small):
    con = scored_small
    _notice(con, secret="fixed")
    # a stray strata row with the id the next draw will take makes the commit fail part-way
    con.execute("INSERT INTO draw_strata VALUES ('2026-S-0005-d1', 'A', 1, 1, 'x', 1)")
    tables = ["draws", "draw_selections", "draw_commits", "draw_counterparts"]
    before = {t: db.content_hash(con, t) for t in tables}
    seq = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    with pytest.raises(Exception, match="(?i)constraint|duplicate|conflict"):
        _commit(con, plan_id="2026-S-0005", beacon="b")
    assert {t: db.content_hash(con, t) for t in tables} == before
    assert _attempts_since(con, seq) == [("sampling.draw.commit", "write.conflict")]
    assert con.execute("SELECT count(*) FROM audit_log WHERE seq > ?", [seq]).fetchone()[0] == 1


def test_whole_campaign_commit_writes_one_draw_per_plan(scored_small):
    con = scored_small
    _notice(con, secret="fixed")
    ids = _commit(con, beacon="b").draw_ids
    assert len(ids) == 758
    n_sel, n_draws = con.execute(
        "SELECT (SELECT count(*) FROM draw_selections), "
        "(SELECT count(DISTINCT batch_id) FROM draws)"
    ).fetchone()
    quotas = con.execute("SELECT sum(quota) FROM draw_strata").fetchone()[0]
    assert n_sel == quotas and n_draws == 1
    records = sampling.batch_records(con, sampling.committed_draws(con).batch_id[0])
    assert len(records) == 758 and {r["seed"] for r in records} == {
        hashlib.sha256(b"fixed|b").hexdigest()
    }
    assert {r["rehearsal"] for r in records} == {True}  # a given secret: a rehearsal
    assert json.loads(json.dumps(records[0])) == records[0]


def test_pandas_baseline_draws_the_same_strata_and_quotas(scored_small):
    from core import sampling_baseline

    draw = sampling.preview(scored_small, YEAR, secret="s")
    base = sampling_baseline.baseline_draw(scored_small, YEAR, seed=1)
    assert len(base) == draw.total_selected
    assert not base.duplicated(["plan_id", "uscc"]).any()
    got = base.groupby(["plan_id", "tier"]).size().to_dict()
    want = {(p, t): q for p, t, q in zip(draw.strata.plan_id, draw.strata.tier,
                                         draw.strata.quota, strict=True) if q}  # fmt: skip
    assert got == want


def test_stratum_sizes_equal_the_draws_frames_without_writing(scored_small):
    con = scored_small
    version = db.data_version(con)
    sizes = sampling.stratum_sizes(con, YEAR)
    draw = sampling.preview(con, YEAR, secret="sizes", beacon="b")
    got = sizes.set_index(["plan_id", "tier"])["frame_size"].sort_index()
    want = draw.strata.set_index(["plan_id", "tier"])["frame_size"].sort_index()
    assert len(sizes) == 4 * con.execute("SELECT count(*) FROM plans").fetchone()[0]
    assert got.sum() > 0 and (got == want).all()
    assert list(sizes.columns) == ["plan_id", "item_class", "tier", "frame_size"]
    assert sampling.quota(7, 1500) == 2 and sampling.quota(3, 10_000) == 3
    assert db.data_version(con) == version
