"""python -m core risk: rescore every target with the weights in force; --calibrate to refit
against past inspections and report how well the tiers separate outcomes."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from core import risk, risk_calibration
from core.commands import add_common, cli_lang, emit, fail, open_database
from core.db import default_db_path, is_built
from core.refusal import Refused
from core.writes import cli_actor, unit_of_work


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("risk", help="score and tier every target (A/B/C/D); --calibrate to check")
    add_common(p)
    p.add_argument(
        "--calibrate", action="store_true", help="fit to past inspections and report AUC, lift"
    )
    p.set_defaults(func=run)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f} %"


def run(args: argparse.Namespace) -> int:
    path = Path(args.db or default_db_path())
    if not path.exists():
        return fail(f"{path} does not exist; build it with: python -m core init --db {path}")
    con = open_database(args)
    try:
        if not is_built(con):
            return fail(f"{path} holds no dataset yet; run python -m core init first")
        report = None
        detail: dict = {}
        try:  # all or nothing: a failed calibration keeps the old scores
            with unit_of_work(con, cli_actor(), "risk.rescore", detail):
                t0 = time.perf_counter()
                counts = risk.score_all(con)
                seconds = time.perf_counter() - t0
                if args.calibrate:
                    report = risk_calibration.calibrate(con)  # NotEnoughHistory: nothing kept
                detail.update({**counts, "calibrated": bool(report)})
        except Refused as e:
            return fail(e.message(cli_lang()))
        out = {"db": str(path), "seconds": round(seconds, 2), **risk.summary(con)}
        lines = [f"scored {out['targets']:,} targets in {seconds:.2f} s"]
        for t in risk.TIERS:
            lines.append(
                f"  tier {t}  {out['tiers'][t]:>10,}  {_pct(out['shares'][t]):>7}"
                f"  (score >= {out['thresholds'][t]:.3f})"
                if t != "A"
                else f"  tier {t}  {out['tiers'][t]:>10,}  {_pct(out['shares'][t]):>7}"
            )
        if report is not None:
            out["calibration"] = report
            f = report["fitted"]
            lines += [
                f"past inspections {report['inspections']:,}, problems found "
                f"{report['problems']:,} ({_pct(report['discovery_rate'])})",
                "discovery rate by tier (95 % Wilson interval):",
                *(
                    f"  tier {r['tier']}  {r['problems']:>6,} / {r['inspected']:>7,}  "
                    f"{_pct(r['rate'])}  [{_pct(r['low'])}, {_pct(r['high'])}]"
                    for r in report["by_tier"]
                ),
                f"lift of D over A   {report['lift_d_over_a']:.2f}x"
                if report["lift_d_over_a"]
                else "lift of D over A   —",
                f"AUC of the score in force   {report['auc_current']:.3f}",
                f"fitted logistic model: AUC {f['auc_holdout']:.3f} on {f['holdout']:,} "
                f"held-out inspections (same weights shuffled: {f['auc_shuffled_mean']:.3f})",
            ]
        emit(args, out, "\n".join(lines))
        return 0
    finally:
        con.close()
