"""Credit-risk scoring, editing and calibration on real DuckDB files built by core/synth."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core import db, risk, risk_calibration, synth, synth_history

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def demo_copy(pristine_demo, tmp_path):
    path = tmp_path / "demo.duckdb"
    shutil.copy(pristine_demo, path)
    con = db.connect(path)
    yield con
    con.close()


def test_every_target_has_exactly_one_tier(demo_con):
    n_targets = demo_con.execute("SELECT count(*) FROM targets").fetchone()[0]
    n, distinct, missing = demo_con.execute(
        "SELECT (SELECT count(*) FROM risk), (SELECT count(DISTINCT uscc) FROM risk),"
        " (SELECT count(*) FROM targets t ANTI JOIN risk r USING (uscc))"
    ).fetchone()
    assert n == distinct == n_targets == 200_000 and missing == 0
    counts = risk.tier_counts(demo_con)
    assert sum(counts.values()) == n_targets
    shares = {t: counts[t] / n_targets for t in risk.TIERS}
    for t, target in risk.DEFAULT_TIER_SHARES.items():
        assert abs(shares[t] - target) < 0.01, (t, shares[t])
    # Tiers follow the cut-offs.
    cut = risk.thresholds(demo_con)
    bad = demo_con.execute(
        "SELECT count(*) FROM risk WHERE tier <> CASE WHEN score >= ? THEN 'D' "
        "WHEN score >= ? THEN 'C' WHEN score >= ? THEN 'B' ELSE 'A' END",
        [cut["D"], cut["C"], cut["B"]],
    ).fetchone()[0]
    assert bad == 0


def test_score_is_the_sum_of_contributions_and_top_factors_the_largest(demo_con):
    rows = demo_con.execute(
        "SELECT uscc FROM risk WHERE tier IN ('C', 'D') ORDER BY uscc LIMIT 25"
    ).fetchall()
    for (uscc,) in rows:
        info = risk.explain(demo_con, uscc)
        f = info["factors"]
        assert info["score"] == pytest.approx(f["contribution"].sum(), abs=1e-5)
        positive = f[f["contribution"] > 0]
        assert info["top_factors"] == list(positive["factor"][: risk.TOP_FACTORS])
    assert risk.explain(demo_con, "91110108551385082Q") is None


def test_changing_a_weight_rescores_and_bumps_the_data_version(small_con):
    before = dict(small_con.execute("SELECT uscc, tier FROM risk").fetchall())
    version = db.data_version(small_con)
    moves = risk.preview(small_con, {"abnormal_list": 5.0})
    expected_changes = risk.changed_count(moves)
    assert expected_changes > 0
    assert risk.tier_counts(small_con) == {
        t: int(moves.loc[moves.tier_now == t, "n"].sum()) for t in risk.TIERS
    }
    assert dict(small_con.execute("SELECT uscc, tier FROM risk").fetchall()) == before

    risk.save(small_con, {"abnormal_list": 5.0}, actor="policy")
    after = dict(small_con.execute("SELECT uscc, tier FROM risk").fetchall())
    assert sum(before[c] != after[c] for c in before) == expected_changes
    assert db.data_version(small_con) == version + 1
    assert risk.weights(small_con)["abnormal_list"] == 5.0
    # An abnormal-listed target now scores above the D cut-off whatever else it has.
    not_d = small_con.execute(
        "SELECT count(*) FROM targets JOIN risk USING (uscc) WHERE abnormal_list AND tier <> 'D'"
    ).fetchone()[0]
    assert not_d == 0
    action, detail = small_con.execute(
        "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert action == "risk.reweight"
    assert json.loads(detail)["weights"] == {"abnormal_list": [1.0, 5.0]}


def test_raising_a_cut_off_moves_targets_down_only(small_con):
    cut = risk.thresholds(small_con)
    d_before = risk.tier_counts(small_con)["D"]
    risk.save(small_con, {}, {"D": cut["D"] + 1.0})
    counts = risk.tier_counts(small_con)
    assert counts["D"] < d_before
    assert sum(counts.values()) == 5_000


def test_invalid_settings_change_nothing(small_con):
    hashes = {t: db.content_hash(small_con, t) for t in ("risk", "risk_weights", "risk_thresholds")}
    version = db.data_version(small_con)
    with pytest.raises(risk.InvalidSettings) as e:
        risk.save(small_con, {"black_list": 2.0}, {"B": 3.0, "C": 2.0})
    assert [p.key for p in e.value.problems] == ["risk.thresholds_order"]
    assert "rise from B to D" in e.value.message("en") and "递增" in e.value.message("zh")
    with pytest.raises(risk.InvalidSettings) as e:
        risk.save(small_con, {"past_findings": 99.0})
    assert [p.key for p in e.value.problems] == ["risk.bad_weight"]
    assert "past_findings" in e.value.message("en") and "99.0" in e.value.message("zh")
    with pytest.raises(risk.InvalidSettings) as e:
        risk.save(small_con, {"shoe_size": 1.0})
    assert e.value.problems[0].key == "risk.unknown_factor"
    assert e.value.message("zh").startswith("设置无效:未知的风险因素")
    assert {t: db.content_hash(small_con, t) for t in hashes} == hashes
    assert db.data_version(small_con) == version


def test_calibration_ranks_targets_and_fails_with_shuffled_weights(demo_copy):
    report = risk_calibration.calibrate(demo_copy)
    fitted = report["fitted"]
    assert report["inspections"] == round(200_000 * synth_history.INSPECTIONS_PER_TARGET)
    assert abs(report["discovery_rate"] - synth_history.DISCOVERY_RATE) < 0.03
    assert fitted["auc_holdout"] > 0.70
    assert fitted["auc_shuffled_mean"] < fitted["auc_holdout"] - 0.05
    rates = [r["rate"] for r in report["by_tier"]]
    assert rates == sorted(rates) and report["lift_d_over_a"] > 3
    for r in report["by_tier"]:
        assert r["low"] <= r["rate"] <= r["high"]

    # The fitted weights, applied, rank past outcomes well; the same weights shuffled across
    # factors and applied do clearly worse.
    w = fitted["weights"]
    risk.save(demo_copy, w)
    auc_fitted = risk_calibration.calibrate(demo_copy)["auc_current"]
    rng = np.random.default_rng(7)
    keys = list(w)
    shuffled = []
    for _ in range(6):
        perm = rng.permutation(len(w))
        risk.save(demo_copy, {k: w[keys[j]] for k, j in zip(keys, perm, strict=True)})
        shuffled.append(risk_calibration.calibrate(demo_copy)["auc_current"])
    assert auc_fitted > 0.70
    assert np.mean(shuffled) < auc_fitted - 0.05, (auc_fitted, shuffled)
    assert max(shuffled) < auc_fitted


def test_fitted_weights_recover_the_hidden_truth(demo_con):
    report = risk_calibration.latest(demo_con)
    fitted = report["fitted"]["weights"]
    big = [k for k, v in synth_history.TRUE_EFFECTS.items() if abs(v) >= 0.9]
    for k in big:  # strong true effects come out with the right sign
        assert np.sign(fitted[k]) == np.sign(synth_history.TRUE_EFFECTS[k]), k
    # Tiers order the true propensity, which scoring never saw.
    means = demo_con.execute(
        "SELECT tier, avg(propensity) FROM risk JOIN synth_truth USING (uscc) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [m for _, m in means] == sorted(m for _, m in means)


def test_scoring_and_calibration_never_read_the_truth(demo_copy):
    risk_calibration.calibrate(demo_copy)
    before = (db.content_hash(demo_copy, "risk"), risk_calibration.latest(demo_copy)["fitted"])
    demo_copy.execute("DROP TABLE synth_truth")
    risk.score_all(demo_copy)
    risk_calibration.calibrate(demo_copy)
    after = (db.content_hash(demo_copy, "risk"), risk_calibration.latest(demo_copy)["fitted"])
    assert after == before


def _history(path: Path, seed: int) -> tuple[str, str, str]:
    con = db.connect(path)
    synth.build(con, 20_000, seed=seed)
    out = tuple(db.content_hash(con, t) for t in ("past_inspections", "synth_truth", "risk"))
    con.close()
    return out


def test_synthetic_history_is_deterministic_for_a_seed(tmp_path):
    a = _history(tmp_path / "a.duckdb", 3)
    b = _history(tmp_path / "b.duckdb", 3)
    c = _history(tmp_path / "c.duckdb", 4)
    assert a == b
    assert a[0] != c[0] and a[1] != c[1]


def test_statistics():
    lo, hi = risk_calibration.wilson(1955, 10_000)
    assert lo == pytest.approx(0.18786, abs=1e-4) and hi == pytest.approx(0.20337, abs=1e-4)
    assert risk_calibration.wilson(0, 0) == (0.0, 1.0)
    assert risk_calibration.auc(np.array([1, 2, 3, 4]), np.array([0, 1, 0, 1])) == 0.75
    assert risk_calibration.auc(np.array([1, 1, 1]), np.array([0, 1, 0])) == 0.5
    x = np.random.default_rng(0).normal(size=(20_000, 2))
    y = np.random.default_rng(1).random(20_000) < 1 / (1 + np.exp(-(-1 + 2 * x[:, 0] - x[:, 1])))
    b0, b = risk_calibration.fit_logistic(x, y, ridge=0)
    assert b0 == pytest.approx(-1, abs=0.1) and b == pytest.approx([2, -1], abs=0.1)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", "risk", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_scores_and_calibrates(small_path, demo_copy, tmp_path):
    r = cli("--db", str(small_path), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert sum(out["tiers"].values()) == out["targets"] == 5_000
    con = db.connect(small_path)
    version = db.data_version(con)
    assert version == 2  # built (1), rescored by the CLI (2)
    before = db.content_hash(con, "risk")
    con.close()
    r = cli("--db", str(small_path), "--calibrate")
    assert r.returncode == 1 and "past inspections" in r.stderr
    con = db.connect(small_path)
    assert db.data_version(con) == version and db.content_hash(con, "risk") == before
    con.close()
    r = cli("--db", str(tmp_path / "nowhere.duckdb"))
    assert r.returncode == 1 and "does not exist" in r.stderr
    path = demo_copy.execute("PRAGMA database_list").fetchall()[0][2]
    demo_copy.close()
    r = cli("--db", path, "--calibrate", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["calibration"]["fitted"]["auc_holdout"] > 0.7
    assert sum(out["tiers"].values()) == 200_000
    r = cli("--db", path, "--calibrate")
    assert "lift of D over A" in r.stdout and "AUC" in r.stdout


def test_recalibration_is_one_recorded_write(demo_copy, small_con):
    version = db.data_version(demo_copy)
    report = risk_calibration.refresh(demo_copy, actor="policy")
    assert report == risk_calibration.latest(demo_copy)
    assert db.data_version(demo_copy) == version + 1
    assert demo_copy.execute(
        "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone() == ("risk.calibrate",)
    # Too little history: nothing stored, nothing bumped.
    version = db.data_version(small_con)
    assert risk_calibration.refresh(small_con) is None
    assert risk_calibration.latest(small_con) is None
    assert db.data_version(small_con) == version


def test_an_unscored_directory_is_scored_once(small_con):
    small_con.execute("DELETE FROM risk")
    small_con.execute("DELETE FROM risk_thresholds")
    version = db.data_version(small_con)
    assert not risk.is_scored(small_con)
    assert risk.ensure_scored(small_con) is True
    assert risk.is_scored(small_con) and db.data_version(small_con) == version + 1
    assert sum(risk.tier_counts(small_con).values()) == 5_000
    assert risk.ensure_scored(small_con) is False
