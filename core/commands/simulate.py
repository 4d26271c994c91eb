"""python -m core simulate: what a ratio table would mean (inspections, visits, workload against
capacity, expected discoveries, burden, class rules), and optionally the optimiser's table.
Read only: the database is opened read-only and never changes."""

from __future__ import annotations

import argparse
import time
from typing import Any

from core.commands import add_common, cli_lang, emit, fail, open_database
from core.refusal import Refused
from core.simulate import optimise, ratios_file, scenario
from core.simulate.quotas import table_to_dict
from core.vocab import TIERS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("simulate", help="what-if for a ratio table; --optimise proposes one")
    add_common(p)
    p.add_argument("--ratios", required=True, help="CSV or JSON file: item class x tier in bp")
    p.add_argument("--year", type=int, help="campaign year (default: the latest with plans)")
    p.add_argument(
        "--rates", choices=scenario.RATE_SOURCES, default="past",
        help="discovery rates: last year's per tier (past) or the risk score's (model)",
    )  # fmt: skip
    p.add_argument("--optimise", action="store_true", help="also propose the optimiser's table")
    p.add_argument("--min-ratio", type=int, default=None, help="optimiser: floor per tier, bp")
    p.add_argument("--low-risk-cap", type=int, help="optimiser: cap on low-risk inspections")
    p.add_argument("--max-inspections", type=int, help="optimiser: cap on all inspections")
    p.add_argument("--no-capacity", action="store_true", help="optimiser: ignore capacities")
    p.add_argument(
        "--strict-capacity", action="store_true",
        help="optimiser: keep departments no rule-abiding table can keep within capacity",
    )  # fmt: skip
    p.set_defaults(func=run)


def _summary(s: scenario.Scenario) -> dict[str, Any]:
    t = s.totals
    over = s.workload[s.workload["over"]]
    return {
        "ratios": table_to_dict(s.table),
        "totals": {
            k: (round(v, 4 if abs(v) < 10 else 2) if isinstance(v, float) else v)
            for k, v in t.items()
        },  # fmt: skip
        "by_class_and_tier": s.by_class_tier.round(4).to_dict("records"),
        "departments_over_capacity": over[["dept_code", "name", "inspector_visits", "capacity"]]
        .round(1)
        .to_dict("records"),
        "rules": s.rules[["scope", "item_class", "mean_bp", "ok", "rule"]].to_dict("records"),
    }


def _text(title: str, s: scenario.Scenario) -> list[str]:
    t = s.totals
    lines = [
        title,
        "  ratios (bp)  " + "  ".join(f"{c}: " + "/".join(str(int(s.table.loc[c, x]))
                                                        for x in TIERS) for c in s.table.index),
        f"  inspections {t['inspections']:,} · targets reached {t['targets_reached']:,.0f} · "
        f"visits {t['visits']:,.0f} · inspector-visits {t['inspector_visits']:,.0f}",
        f"  expected discoveries {t['discoveries']:,.0f} "
        f"(95 % {t['discoveries_lo']:,.0f}–{t['discoveries_hi']:,.0f}) · rate "
        f"{100 * t['discovery_rate']:.1f} % · visits finding nothing {t['burden_visits']:,.0f}",
        f"  departments over capacity {t['departments_over']} ({t['capacity_source']}) · "
        f"class rules {'hold' if t['rules_ok'] else 'BROKEN'}",
    ]  # fmt: skip
    if t["unscored"]:
        lines.append(f"  warning: {t['unscored']:,} frame members have no risk tier (left out)")
    for r in s.rules[~s.rules["ok"]].itertuples(index=False):
        lines.append(f"    {r.scope} class {r.item_class}: {r.rule}")
    return lines


def run(args: argparse.Namespace) -> int:
    con = open_database(args, read_only=True)  # NoDatabase: one line from core.__main__
    try:
        year = args.year
        if year is None:
            row = con.execute("SELECT max(year) FROM plans").fetchone()
            year = row[0] if row else None
        if (
            year is None
            or not con.execute("SELECT count(*) FROM plans WHERE year = ?", [year]).fetchone()[0]
        ):
            raise Refused("simulate.no_plans", year=year)
        t0 = time.perf_counter()
        ctx = scenario.load(con, year, args.rates)
        t1 = time.perf_counter()
        table = ratios_file.read_table(args.ratios, ctx.table)
        t2 = time.perf_counter()
        proposed = scenario.evaluate(ctx, table)
        t3 = time.perf_counter()
        in_force = scenario.evaluate(ctx, ctx.table)
        payload: dict[str, Any] = {
            "year": year,
            "data_version": ctx.data_version,
            "scenario": _summary(proposed),
            "in_force": _summary(in_force),
            "seconds": {"load": round(t1 - t0, 3), "evaluate": round(t3 - t2, 4)},
        }
        lines = _text(f"campaign {year}: ratios from {args.ratios}", proposed)
        lines += _text("in force:", in_force)
        if args.optimise:
            floor = args.min_ratio
            req = optimise.Request(
                capacity=not args.no_capacity, low_risk_cap=args.low_risk_cap,
                strict_capacity=args.strict_capacity,
                max_inspections=args.max_inspections,
            )  # fmt: skip
            if floor is not None:
                req.min_ratio_bp = {t: floor for t in TIERS}
            t4 = time.perf_counter()
            result = optimise.optimise(ctx, req)
            payload["seconds"]["optimise"] = round(time.perf_counter() - t4, 3)
            payload["optimised"] = {
                "feasible": result.feasible, "status": result.status,
                "objective": result.objective, "upper_bound": result.upper_bound,
                "binding": result.binding, "conflict": result.conflict,
                "unreachable": result.unreachable,
            }  # fmt: skip
            if result.unreachable:
                lines.append(
                    "optimiser: no rule-abiding table keeps these departments within "
                    "capacity (left out): " + ", ".join(result.unreachable)
                )
            if result.feasible:
                best = scenario.evaluate(ctx, result.table)
                payload["optimised"]["scenario"] = _summary(best)
                lines += _text("optimiser's table:", best)
                lines.append(f"  binding: {', '.join(result.binding) or 'none'}; upper bound "
                             f"{result.upper_bound:,.0f}")  # fmt: skip
            else:
                lines.append("optimiser: the constraints cannot all hold; in conflict: "
                             + ", ".join(result.conflict or [result.status]))  # fmt: skip
    except Refused as e:
        return fail(e.message(cli_lang()))
    finally:
        con.close()
    emit(args, payload, "\n".join(lines))
    return 0
