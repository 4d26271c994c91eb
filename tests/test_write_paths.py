"""The writers of risk, calibration and imports go through the one write path: nesting instead
of callbacks, one data_version bump per write, refusals with message keys, and a failed write
logged as a second, independent entry."""

from __future__ import annotations

import json
import os

import pytest

from core import audit, db, risk, risk_calibration, target_lookup
from core.refusal import Refused
from core.registry_export import export_file
from core.registry_import import import_file
from core.writes import cli_actor, unit_of_work
from tests.test_cli import cli


def test_save_and_recalibrate_nest_in_one_write(demo_con):
    version = db.data_version(demo_con)
    seq = demo_con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    w = risk.weights(demo_con)
    with unit_of_work(demo_con, "policy", "risk.save", {"recalibrate": True}):
        risk.save(demo_con, {"black_list": w["black_list"] + 0.5}, actor="policy")
        report = risk_calibration.refresh(demo_con, actor="policy")
    assert report is not None
    assert db.data_version(demo_con) == version + 1
    log = demo_con.execute(
        "SELECT actor, action FROM audit_log WHERE seq > ? ORDER BY seq", [seq]
    ).fetchall()
    assert log == [("policy", "risk.save"), ("policy", "risk.reweight"),
                   ("policy", "risk.calibrate")]  # fmt: skip
    assert risk_calibration.latest(demo_con)["computed_at"] == report["computed_at"]
    assert audit.verify_chain(demo_con) == (True, None)


def test_a_failed_calibration_inside_the_write_keeps_the_old_scores(small_con):
    """5,000 targets have too little history: the rescore and the calibration are one write,
    so the refusal leaves everything as it was (and says why, in both languages)."""
    before = {t: db.content_hash(small_con, t) for t in ("risk", "risk_weights")}
    version = db.data_version(small_con)
    with pytest.raises(risk_calibration.NotEnoughHistory) as e:
        with unit_of_work(small_con, "policy", "risk.rescore"):
            risk.score_all(small_con)
            risk_calibration.calibrate(small_con)
    assert e.value.key == "risk.not_enough_history"
    assert "200" in e.value.message("en") and "往年检查记录不足" in e.value.message("zh")
    assert {t: db.content_hash(small_con, t) for t in before} == before
    assert db.data_version(small_con) == version


def test_risk_cli_refusal_prints_the_catalogue_text(small_path):
    r = cli("risk", "--calibrate", "--db", str(small_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Calibration needs at least 200 past inspections" in r.stderr
    r = cli("risk", "--db", str(small_path))
    assert r.returncode == 0, r.stderr
    con = db.connect(small_path)
    actor, action = con.execute(
        "SELECT actor, action FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    con.close()
    assert (actor, action) == (cli_actor(), "risk.rescore")


def test_import_refusals_carry_keys(small_con, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("uscc\n", encoding="utf-8")
    with pytest.raises(Refused) as e:
        import_file(small_con, "targets", path, mode="merge")
    assert e.value.key == "import.bad_mode"
    assert "merge" in e.value.message("zh") and "append, replace" in e.value.message("en")


def test_a_failed_import_write_is_logged_after_its_rollback(small_con, tmp_path, monkeypatch):
    """A write that fails part-way (here the code lookup's refresh, as on a full disk) leaves the
    registry as it was and still leaves an audit entry: a second write after the rollback."""
    path = tmp_path / "targets.csv"
    export_file(small_con, "targets", path)
    before = db.content_hash(small_con, "targets")

    def full_disk(con):
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(target_lookup, "refresh", full_disk)
    with pytest.raises(Refused) as e:
        import_file(small_con, "targets", path, mode="replace", actor="admin")
    assert e.value.key == "import.failed"
    assert "No space left on device" in e.value.message("en")
    assert db.content_hash(small_con, "targets") == before
    actor, action, detail = small_con.execute(
        "SELECT actor, action, detail FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    detail = json.loads(detail)
    assert (actor, action, detail["outcome"], detail["error"]) == (
        "admin", "registry.import", "failed", "OSError",
    )  # fmt: skip
    assert audit.verify_chain(small_con) == (True, None)
