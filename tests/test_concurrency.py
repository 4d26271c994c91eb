"""Twenty users at once, as the app runs them: threads, each on its own cursor of the one
process-wide connection, saving ratio tables and risk weights and previewing draws at the same
time. No exception reaches anyone, the final data equals one serial order of the saves, previews
write nothing, and the audit trail verifies."""

from __future__ import annotations

import json
import threading

from core import audit, db, risk, sampling
from core.sampling import ratios

YEAR = 2026
RATIO_USERS = 7
RISK_USERS = 7
PREVIEW_USERS = 6


BASE: dict[str, dict[str, int]] = {}


def ratio_table(i: int) -> dict[str, dict[str, int]]:
    """User i's whole default table: the stored one plus i basis points in every cell."""
    return {cls: {t: bp + 1 + i for t, bp in row.items()} for cls, row in BASE.items()}


def test_twenty_concurrent_users(small_path):
    con = db.connect(small_path)
    table = ratios.default_ratios(con)
    BASE.update({c: {t: int(table.loc[c, t]) for t in "ABCD"} for c in "ABC"})
    factors = risk.FACTOR_KEYS[:RISK_USERS]
    before_w = risk.weights(con)
    version = db.data_version(con)
    seq0 = con.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    plan = con.execute(
        "SELECT plan_id FROM plans WHERE year = ? ORDER BY plan_id LIMIT 1", [YEAR]
    ).fetchone()[0]
    errors: list[BaseException] = []
    previews: list = []
    start = threading.Barrier(RATIO_USERS + RISK_USERS + PREVIEW_USERS)

    def user(job):
        cur = con.cursor()  # what ui.cursor() gives each session
        try:
            start.wait()
            job(cur)
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)
        finally:
            cur.close()

    jobs = [lambda c, i=i: ratios.save_default_ratios(c, ratio_table(i), f"policy{i}")
            for i in range(RATIO_USERS)]  # fmt: skip
    jobs += [lambda c, i=i, f=f: risk.save(c, {f: round(before_w[f] + 0.25 + i / 100, 4)},
                                           actor=f"risk{i}")
             for i, f in enumerate(factors)]  # fmt: skip
    jobs += [lambda c, i=i: previews.append(
                 sampling.preview(c, YEAR, plan, secret="s" * 32, beacon=f"beacon-{i}"))
             for i in range(PREVIEW_USERS)]  # fmt: skip
    threads = [threading.Thread(target=user, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert not errors, [repr(e) for e in errors]
    assert len(previews) == PREVIEW_USERS

    # one bump per save, none for a preview; one audit entry per save
    assert db.data_version(con) == version + RATIO_USERS + RISK_USERS
    log = con.execute(
        "SELECT actor, action, detail FROM audit_log WHERE seq > ? ORDER BY seq", [seq0]
    ).fetchall()
    assert sorted(a for a, _, _ in log) == sorted(
        [f"policy{i}" for i in range(RATIO_USERS)] + [f"risk{i}" for i in range(RISK_USERS)]
    )
    # ratio tables: the final table is the last saver's, as in that serial order
    last_ratio = [a for a, action, _ in log if action == "sampling.ratios.default"][-1]
    final = ratios.default_ratios(con)
    expected = ratio_table(int(last_ratio.removeprefix("policy")))
    assert {cls: {t: int(final.loc[cls, t]) for t in "ABCD"} for cls in "ABC"} == expected
    # risk weights: every user's change is kept (no lost update), others untouched
    after_w = risk.weights(con)
    for i, f in enumerate(factors):
        assert after_w[f] == round(before_w[f] + 0.25 + i / 100, 4), f
    assert {k: v for k, v in after_w.items() if k not in factors} == {
        k: v for k, v in before_w.items() if k not in factors
    }
    # each risk entry records the weights before and after its own save, chained in order
    changes = [json.loads(d)["weights"] for _, a, d in log if a == "risk.reweight"]
    assert sorted(next(iter(c)) for c in changes) == sorted(factors)
    # the tiers in force are those of the final weights
    assert risk.changed_count(risk.preview(con, {}, {})) == 0  # rescoring changes nothing
    scored = con.execute("SELECT count(*) FROM risk").fetchone()[0]
    assert scored == con.execute("SELECT count(*) FROM targets").fetchone()[0]
    result = audit.verify(con)
    assert result["ok"] and result["unanchored"] == 0, result
    con.close()
