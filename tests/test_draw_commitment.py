"""Commit before reveal (issue 18.1-18.2): the commitment notice precedes every committed draw,
the beacon date follows the notice, frames and ratios are anchored, rehearsals stay rehearsals;
and what the records let the public and an auditor recompute (docs/draw-record.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from pathlib import Path

import pytest

from core import db, merge, sampling
from core.refusal import Refused
from core.sampling import frames
from core.vocab import TZ
from core.writes import checkpoint, unit_of_work

YEAR = 2026
PUBLISHED = dt.datetime(2026, 1, 5, 10, 0, tzinfo=TZ)
BEACON_DATE = dt.date(2026, 1, 8)
BEACON_DAY = dt.datetime(2026, 1, 8, 16, 0, tzinfo=TZ)
BEACON = "10523.47"


def notice(con, secret=None, when=PUBLISHED, beacon_date=BEACON_DATE, **kw):
    return sampling.publish_commitment(con, YEAR, "admin", beacon_date, secret=secret,
                                       clock=lambda: when, **kw)  # fmt: skip


def commit(con, when=BEACON_DAY, **kw):
    kw.setdefault("beacon", BEACON)
    return sampling.commit(con, YEAR, "admin", clock=lambda: when, **kw)


def n_draws(con) -> int:
    return con.execute("SELECT count(*) FROM draws").fetchone()[0]


def u(seed: str, code: str) -> float:
    return int.from_bytes(hashlib.sha256(f"{seed}|{code}".encode()).digest()[:8], "big") / 2**64


def test_a_published_notice_is_folded_into_the_database_file(small_con, small_path):
    """The notice anchors every frame member: publishing folds them into the file at once
    (writes.checkpoint), so the draw's commit does not wait for them. A small write afterwards
    stays in the WAL, as DuckDB leaves it: what the first check rules out."""
    con = small_con
    wal = Path(f"{small_path}.wal")
    notice(con)
    assert not wal.exists() or wal.stat().st_size == 0
    assert con.execute("SELECT count(*) FROM draw_frame_members").fetchone()[0] > 1_000
    with unit_of_work(con, "admin", "test.touch"):
        con.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
    assert wal.exists() and wal.stat().st_size > 0
    with unit_of_work(con, "admin", "test.touch"):
        assert checkpoint(con) is False  # never inside an open unit
    assert checkpoint(con) is True
    assert not wal.exists() or wal.stat().st_size == 0


def test_no_commit_without_a_published_notice_or_before_the_beacon_date(small_con):
    con = small_con
    with pytest.raises(Refused) as err:
        commit(con)
    assert err.value.key == "draw.no_commitment"
    for bad_day in (PUBLISHED.date(), PUBLISHED.date() - dt.timedelta(days=3)):
        with pytest.raises(Refused) as err:
            notice(con, beacon_date=bad_day)
        assert err.value.key == "draw.beacon_date_not_after"
    camp = notice(con)
    assert camp.published_at == "2026-01-05T10:00:00+08:00" and camp.beacon_date == BEACON_DATE
    for early in (PUBLISHED, dt.datetime(2026, 1, 7, 23, 59, tzinfo=TZ)):
        with pytest.raises(Refused) as err:
            commit(con, when=early)
        assert err.value.key == "draw.beacon_not_yet"
        assert "2026-01-08" in err.value.message("zh") and "2026-01-08" in str(err.value)
    assert n_draws(con) == 0
    draw = commit(con, plan_id="2026-S-0001")
    row = con.execute(
        "SELECT commitment_id, commitment_published_at, beacon_date, committed_at, rehearsal "
        "FROM draw_commits WHERE draw_id = ?", draw.draw_ids).fetchone()  # fmt: skip
    assert row == (camp.commitment_id, "2026-01-05T10:00:00+08:00", BEACON_DATE,
                   "2026-01-08T16:00:00+08:00", False)  # fmt: skip
    public = sampling.public_record(con, draw.draw_ids[0])
    assert public["commitment_published_at"] == camp.published_at
    assert public["committed_at"] == "2026-01-08T16:00:00+08:00"


def test_a_thousand_secrets_tried_after_the_beacon_cannot_be_committed(small_con):
    con = small_con
    camp = notice(con)
    assert len(camp.secret) == 64 and int(camp.secret, 16) >= 0  # 256 bits from `secrets`
    tried = 0
    for _ in range(1_000):
        guess = secrets.token_hex(16)
        with pytest.raises(Refused) as err:
            commit(con, secret=guess)
        assert err.value.key == "draw.secret_mismatch"
        with pytest.raises(Refused) as err:  # nor can a chosen secret replace the notice
            notice(con, secret=guess, when=BEACON_DAY, beacon_date=dt.date(2026, 1, 9))
        assert err.value.key == "draw.rehearsal_after_real"
        tried += 1
    assert tried == 1_000 and n_draws(con) == 0
    assert sampling.commitment_in_force(con, YEAR) == camp
    with pytest.raises(Refused) as err:
        notice(con, secret="")
    assert err.value.key in ("draw.secret_empty", "draw.rehearsal_after_real")


@pytest.mark.parametrize("value, fmt, key", [
    ("", "szse-close-2dp", "draw.beacon_empty"),
    ("10523.4", "szse-close-2dp", "draw.beacon_format"),
    ("10523.47 ", "szse-close-2dp", "draw.beacon_format"),
    ("1052\u202e3.47", "szse-close-2dp", "draw.beacon_control"),
    ("10523.47\n", "szse-close-2dp", "draw.beacon_control"),
    ("abc\u200fdef", "text-v1", "draw.beacon_control"),
    ("03 09 14 21 27 30 + 17", "cwl-ssq", "draw.beacon_format"),
    ("09 03 14 21 27 30 + 11", "cwl-ssq", "draw.beacon_format"),
])  # fmt: skip
def test_beacons_are_checked_against_the_declared_format(value, fmt, key):
    with pytest.raises(Refused) as err:
        sampling.check_beacon(value, fmt)
    assert err.value.key == key


def test_good_beacons_pass():
    sampling.check_beacon("10523.47", "szse-close-2dp")
    sampling.check_beacon("03 09 14 21 27 30 + 11", "cwl-ssq")
    sampling.check_beacon("中国福利彩票双色球 2026001期: 03 09 14 21 27 30 + 11", "text-v1")


def test_a_bad_beacon_is_refused_at_commit_and_nothing_is_written(small_con):
    notice(small_con)
    before = db.content_hash(small_con, "draws")
    with pytest.raises(Refused) as err:
        commit(small_con, beacon="10523.47\u202e")
    assert err.value.key == "draw.beacon_control"
    assert db.content_hash(small_con, "draws") == before


def test_changed_frames_or_ratios_are_refused_until_recommitted(small_con):
    con = small_con
    first = notice(con)
    plan = "2026-S-0002"
    member = con.execute(
        "SELECT m.uscc FROM draw_frame_members m JOIN draw_frame_plan_cells pc USING "
        "(commitment_id, cell) WHERE pc.plan_id = ? LIMIT 1", [plan]).fetchone()[0]  # fmt: skip
    con.execute("UPDATE risk SET tier = CASE WHEN tier = 'D' THEN 'A' ELSE 'D' END "
                "WHERE uscc = ?", [member])  # fmt: skip
    with pytest.raises(Refused) as err:
        commit(con, plan_id=plan)
    assert err.value.key == "draw.frames_changed" and plan in str(err.value)
    second = notice(con, when=BEACON_DAY, beacon_date=dt.date(2026, 1, 9))
    assert second.supersedes == first.commitment_id and second.secret != first.secret
    assert second.tier_salt != first.tier_salt
    later = dt.datetime(2026, 1, 9, 15, tzinfo=TZ)
    assert commit(con, when=later, plan_id=plan).draw_ids == [f"{plan}-d1"]
    sampling.save_plan_ratios(con, "2026-S-0003", {"A": 1500, "B": 1600, "C": 1700, "D": 1900}, "p")
    with pytest.raises(Refused) as err:
        commit(con, when=later, plan_id="2026-S-0003")
    assert err.value.key == "draw.ratios_changed"
    assert "2026-S-0003" in err.value.message("en") and "基点" in err.value.message("zh")
    with pytest.raises(Refused) as err:
        commit(con, when=later, plan_id="2026-S-0004", mode="independent")
    assert err.value.key == "draw.mode_not_committed"


def _clone_target(con, code: str, new_code: str, street: str | None = None) -> None:
    """A new target (and its risk row, appended in the same order) copied from `code`."""
    con.execute("INSERT INTO targets SELECT * REPLACE (? AS uscc, coalesce(?, street) AS street) "
                "FROM targets WHERE uscc = ?", [new_code, street, code])  # fmt: skip
    con.execute("INSERT INTO risk SELECT * REPLACE (? AS uscc) FROM risk WHERE uscc = ?",
                [new_code, code])  # fmt: skip


def _plan_members(con, plan: str) -> list[str]:
    sql = ("SELECT m.uscc FROM draw_frame_members m JOIN draw_frame_plan_cells pc USING "
           "(commitment_id, cell) WHERE pc.plan_id = ? ORDER BY m.uscc")  # fmt: skip
    return [r[0] for r in con.execute(sql, [plan]).fetchall()]


def test_frames_are_compared_as_sets_of_members_not_by_cell_numbers(small_con):
    """Commit checks the frames by comparing members (code, tier, plans admitting them) with
    those the notice anchored: a target added outside the drawn plan's frame, even in a new
    cell that renumbers the registry's cells, changes nothing; one added inside it, or a
    member moved out, is refused."""
    con = small_con
    camp = notice(con)
    plan = "2026-S-0002"
    inside = _plan_members(con, plan)
    outsider = con.execute(
        "SELECT uscc FROM targets WHERE NOT list_contains(?, uscc) ORDER BY uscc LIMIT 1",
        [inside]).fetchone()[0]  # fmt: skip
    cells_before = con.execute(
        "SELECT count(*) FROM (SELECT DISTINCT kind, industry, district, street FROM targets)"
    ).fetchone()[0]
    _clone_target(con, outsider, "91440300OUTSIDE001", street="一新街道")
    assert (
        con.execute(
            "SELECT count(*) FROM (SELECT DISTINCT kind, industry, district, street FROM targets)"
        ).fetchone()[0]
        == cells_before + 1
    )  # a new cell: the registry's cell numbers shift
    (draw_id,) = commit(con, plan_id=plan).draw_ids
    record = sampling.public_record(con, draw_id)
    anchored = next(p for p in camp.notice["plans"] if p["plan_id"] == plan)
    assert record["frame_sha256"] == anchored["frame_sha256"]
    assert record["frame_size"] == anchored["frame_size"] == len(inside)
    body = sampling.frame_file_bytes(con, draw_id)
    assert hashlib.sha256(body).hexdigest() == record["frame_sha256"]
    assert body.decode().split("\n") == inside

    _clone_target(con, inside[0], "91440300INSIDE0001")  # same cell: a new member of the frame
    with pytest.raises(Refused) as err:
        commit(con, plan_id=plan, reason="again")
    assert err.value.key == "draw.frames_changed" and plan in str(err.value)
    con.execute("DELETE FROM targets WHERE uscc = '91440300INSIDE0001'")
    con.execute("DELETE FROM risk WHERE uscc = '91440300INSIDE0001'")
    assert commit(con, plan_id=plan, reason="again").draw_ids == [f"{plan}-d2"]
    con.execute("DELETE FROM targets WHERE uscc = ?", [inside[-1]])  # a member gone
    con.execute("DELETE FROM risk WHERE uscc = ?", [inside[-1]])
    with pytest.raises(Refused) as err:
        commit(con, plan_id=plan, reason="again")
    assert err.value.key == "draw.frames_changed"
    assert n_draws(con) == 2


def test_rehearsals_are_marked_everywhere_and_never_replace_a_real_notice(small_con):
    con = small_con
    rehearsal = notice(con, secret="chosen", beacon_format="text-v1")
    assert rehearsal.rehearsal and rehearsal.notice["rehearsal"] is True
    assert sampling.is_rehearsal(con, YEAR)
    draw = commit(con, when=PUBLISHED, plan_id="2026-S-0001", beacon="any text")  # no clock
    (draw_id,) = draw.draw_ids
    assert draw.rehearsal
    assert sampling.public_record(con, draw_id)["rehearsal"] is True
    assert sampling.audit_record(con, draw_id)["rehearsal"] is True
    assert sampling.draw_rehearsal(con, draw_id)
    assert sampling.committed_draws(con, YEAR).set_index("draw_id").loc[draw_id, "rehearsal"]
    real = notice(con)  # a real notice may follow a rehearsal; the reverse is refused
    assert not real.rehearsal and not sampling.is_rehearsal(con, YEAR)
    with pytest.raises(Refused):
        notice(con, secret="chosen-again", beacon_format="text-v1")
    (real_id,) = commit(con, plan_id="2026-S-0001").draw_ids  # no reason: rehearsal not counted
    assert not sampling.draw_rehearsal(con, real_id)


def test_public_record_has_no_tiers_and_the_auditor_recomputes_everything(small_con):
    """Public: the whole frame anchored in the notice, numbers per stratum, one selection
    ordered by (u, code). Auditor: tier frames bound by the salted digest, every stratum's
    selection recomputed bit for bit with hashlib."""
    con = small_con
    camp = notice(con)
    draw = commit(con)
    plans = {p["plan_id"]: p for p in camp.notice["plans"]}
    assert camp.notice["ratio_table_sha256"] == hashlib.sha256(
        sampling.canonical_bytes(camp.notice["ratio_table"])).hexdigest()  # fmt: skip
    assert hashlib.sha256(camp.notice_json.encode()).hexdigest() == camp.notice_sha256
    files = sampling.frame_files(con, draw.draw_ids)
    checked = 0
    for draw_id in draw.draw_ids:
        public = sampling.public_record(con, draw_id)
        audit = sampling.audit_record(con, draw_id)
        text = json.dumps(public)
        assert '"tier"' not in text and "tier_salt" not in text and "frames/" + public[
            "plan_id"] + "/" not in text  # fmt: skip
        whole = files[draw_id][None]
        anchored = plans[public["plan_id"]]
        assert hashlib.sha256(whole).hexdigest() == public["frame_sha256"]
        assert public["frame_sha256"] == anchored["frame_sha256"]
        assert public["frame_size"] == anchored["frame_size"] == sum(
            s["frame_size"] for s in public["strata"])  # fmt: skip
        frame = whole.decode().split("\n") if whole else []
        assert frame == sorted(set(frame)) and len(frame) == public["frame_size"]
        assert public["quota"] == len(public["selected"]) == sum(
            s["quota"] for s in public["strata"])  # fmt: skip
        s = public["prn_seed"]
        assert public["selected"] == sorted(public["selected"], key=lambda c: (u(s, c), c))
        assert set(public["selected"]) <= set(frame)
        assert audit["public_record_sha256"] == hashlib.sha256(
            sampling.canonical_bytes(public)).hexdigest()  # fmt: skip
        # the auditor: tier frames bound by the salted digest, selections recomputed
        tier_sha = {}
        merged = []
        for st in audit["strata"]:
            data = files[draw_id][st["tier"]]
            tier_sha[st["tier"]] = hashlib.sha256(data).hexdigest()
            assert tier_sha[st["tier"]] == st["frame_sha256"]
            codes = data.decode().split("\n") if data else []
            n = min(len(codes), -(-len(codes) * st["ratio_bp"] // 10_000))
            assert st["quota"] == n and st["frame_size"] == len(codes)
            assert st["selected"] == sorted(codes, key=lambda c: (u(s, c), c))[:n]
            merged += codes
        assert sorted(merged) == frame
        text = (f"suicha-tier-frames-v1\n{audit['tier_salt']}\n{public['plan_id']}\n"
                + "\n".join(f"{t}:{tier_sha[t]}" for t in "ABCD"))  # fmt: skip
        assert hashlib.sha256(text.encode()).hexdigest() == anchored["tier_frames_digest"]
        assert frames.tier_frames_digest(audit["tier_salt"], public["plan_id"], tier_sha) == (
            audit["tier_frames_digest"])  # fmt: skip
        checked += bool(frame)
    assert checked > 100


def test_the_independent_counterpart_is_stored_at_commit(small_con):
    con = small_con
    notice(con)
    draw = commit(con)
    stored = con.execute("SELECT count(*) FROM draw_counterparts").fetchone()[0]
    want = sampling.preview(con, YEAR, beacon=BEACON, mode="independent").selections
    assert stored == len(want) == draw.total_selected
    got = merge.independent_counterpart(con, YEAR)
    assert sorted(zip(got.plan_id, got.uscc, strict=True)) == sorted(
        zip(want.plan_id, want.uscc, strict=True))  # fmt: skip
    commit(con, plan_id="2026-S-0001", reason="again")  # same notice and beacon: kept once
    assert con.execute("SELECT count(*) FROM draw_counterparts").fetchone()[0] == stored
