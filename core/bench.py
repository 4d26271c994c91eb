"""python -m core bench: the annual cycle timed stage by stage on a dataset of a given scale.

Each stage is a function of a BenchContext; a stage whose engine is not built yet is listed with
run=None and reported as absent, never faked. Times are medians over `repeat` runs; memory is
the process's peak resident set (getrusage), which includes every stage run so far.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from core import (
    merge,
    merge_report,
    overview,
    registry_search,
    risk,
    sampling,
    sampling_report,
    synth,
)
from core.bootstrap import build_database
from core.db import Connection, connect, get_meta

BASELINE_CHILD = """
import json, resource, sys, time
from core import db, sampling_baseline
con = db.connect(sys.argv[1])
t, c = time.perf_counter(), time.process_time()
drawn = sampling_baseline.baseline_draw(con, int(sys.argv[2]), 7)
print(json.dumps({"seconds": time.perf_counter() - t, "cpu_s": time.process_time() - c,
                  "selected": len(drawn),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


# Each child imports the modules that do its work before its clock starts (the baseline's
# pandas, our draw's numba kernels module) and times one cold call: first-call costs count.
OURS_CHILD = """
import json, resource, sys, time
from core import db, sampling
from core.sampling import prn_batch
con = db.connect(sys.argv[1])
t, c = time.perf_counter(), time.process_time()
draw = sampling.preview(con, int(sys.argv[2]), secret=sys.argv[3], beacon="")
print(json.dumps({"seconds": time.perf_counter() - t, "cpu_s": time.process_time() - c,
                  "selected": int(draw.total_selected),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _child(code: str, *args: object) -> dict[str, Any]:
    """Run `code` in a child process of this one; its last output line is a JSON result."""
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True, text=True, check=True, timeout=1800,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare_draws(
    db_path: str | Path, year: int, rounds: int = 3, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Our whole-campaign draw (a new secret each round, so every round hashes all it must) and
    the pandas groupby-sample baseline, alternately, each in a child process of this one: both
    meet the same machine load, and each child's peak memory is its own. The ratio is the
    pandas median over ours (wall time); CPU seconds of all threads, less swayed by others'
    load, give a second ratio."""
    say = progress or (lambda _m: None)
    ours, pandas = [], []
    for i in range(rounds):
        ours.append(_child(OURS_CHILD, db_path, year, f"compare-{i + 1}"))
        say(f"round {i + 1}: ours {ours[-1]['seconds']:.3f} s")
        pandas.append(_child(BASELINE_CHILD, db_path, year))
        say(f"round {i + 1}: pandas {pandas[-1]['seconds']:.3f} s")
    # medians rounded first: each ratio is the one a reader computes from the printed figures
    ours_s = round(statistics.median(r["seconds"] for r in ours), 3)
    pandas_s = round(statistics.median(r["seconds"] for r in pandas), 3)
    ours_cpu = round(statistics.median(r["cpu_s"] for r in ours), 3)
    pandas_cpu = round(statistics.median(r["cpu_s"] for r in pandas), 3)
    return {
        "rounds": rounds,
        "ours_s": [round(r["seconds"], 3) for r in ours],
        "pandas_s": [round(r["seconds"], 3) for r in pandas],
        "ours_median_s": round(ours_s, 3),
        "pandas_median_s": round(pandas_s, 3),
        "ratio": round(pandas_s / ours_s, 1),
        # CPU seconds (all threads) say more than wall time on a machine others load
        "ours_cpu_median_s": round(ours_cpu, 3),
        "pandas_cpu_median_s": round(pandas_cpu, 3),
        "cpu_ratio": round(pandas_cpu / ours_cpu, 1),
        "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours), 1),
        "pandas_peak_rss_mb": round(max(r["peak_rss_mb"] for r in pandas), 1),
        "selected_ours": ours[-1]["selected"],
        "selected_pandas": pandas[-1]["selected"],
        "load_average": list(os.getloadavg()),
    }


def run_compare(
    scale: str | int = "demo",
    rounds: int = 3,
    seed: int = synth.DEFAULT_SEED,
    workdir: str | Path | None = None,
    db_path: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """compare_draws on `db_path` (left as it was but for the draw's u cache), or on a dataset
    of `scale` built in a temporary folder."""
    if db_path is not None:
        con = connect(db_path)
        try:
            year = int(get_meta(con, "campaign_year") or synth.CAMPAIGN_YEAR)
            scale = int(con.execute("SELECT count(*) FROM targets").fetchall()[0][0])
        finally:
            con.close()
        return {"targets": scale, **compare_draws(db_path, year, rounds, progress)}
    n = synth.parse_scale(scale)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="suicha-compare-") as tmp:
        path = Path(tmp) / "compare.duckdb"
        build_database(path, n, seed=seed)
        return {"targets": n, **compare_draws(path, synth.CAMPAIGN_YEAR, rounds, progress)}


@dataclass
class BenchContext:
    db_path: Path
    scale: int
    seed: int
    con: Connection | None = None
    year: int = synth.CAMPAIGN_YEAR
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Stage:
    name: str
    run: Callable[[BenchContext], Any] | None
    absent_reason: str = ""
    repeatable: bool = True  # False: run once whatever `repeat` says (e.g. a one-off build)


def _init(ctx: BenchContext) -> None:
    if ctx.con is not None:
        ctx.con.close()
        ctx.con = None
    build_database(ctx.db_path, ctx.scale, seed=ctx.seed, force=True)
    ctx.con = connect(ctx.db_path)


def _risk_scoring(ctx: BenchContext) -> None:
    risk.score_all(ctx.con)


def _campaign_draw(ctx: BenchContext) -> None:
    """A whole-campaign draw (preview, coordinated) under a new secret each run, so that every
    run pays for hashing all targets, as the first draw of a campaign does."""
    n = ctx.notes.setdefault("draws", 0) + 1
    ctx.notes["draws"] = n
    draw = sampling.preview(ctx.con, ctx.year, secret=f"bench-{n}", beacon="")
    ctx.notes["selected"] = int(draw.total_selected)


def _draw_vs_pandas(ctx: BenchContext) -> None:
    """The same strata and quotas with pandas groupby + sample, in a child process (its memory
    is its own), against our median draw time."""
    import json
    import subprocess
    import sys

    ctx.con.close()  # the child needs the file
    try:
        out = subprocess.run(
            [sys.executable, "-c", BASELINE_CHILD, str(ctx.db_path), str(ctx.year)],
            capture_output=True, text=True, check=True, timeout=1800,
        )  # fmt: skip
    finally:
        ctx.con = connect(ctx.db_path)
    child = json.loads(out.stdout)
    ours = round(ctx.notes.get("campaign_draw_s") or float("nan"), 3)
    theirs = round(child["seconds"], 3)
    ctx.notes["draw_vs_pandas"] = {  # the ratio of the printed (rounded) figures
        "ours_s": ours,
        "pandas_s": theirs,
        "ratio": round(theirs / ours, 1) if ours else float("nan"),
        "pandas_peak_rss_mb": round(child["peak_rss_mb"], 1),
        "selected_ours": ctx.notes.get("selected"),
        "selected_pandas": child["selected"],
    }


def _commitment(ctx: BenchContext) -> None:
    """Publish a rehearsal campaign's commitment notice (frames hashed and anchored): a given
    secret never makes a real draw, and a real notice would make the commit wait a day."""
    from core.sampling.campaign import earliest_beacon_date

    tomorrow = earliest_beacon_date()
    sampling.publish_commitment(ctx.con, ctx.year, "bench", tomorrow, secret="bench-commit",
                                beacon_format="text-v1")  # fmt: skip


def _commit(ctx: BenchContext) -> None:
    """Commit the whole campaign under the notice (draw, checks against the notice, records,
    bulk insert, merge's independent counterpart)."""
    sampling.commit(ctx.con, ctx.year, "bench", secret="bench-commit", beacon="bench beacon")


def _merge(ctx: BenchContext) -> None:
    merge.merge_campaign(ctx.con, ctx.year, "bench")


def _assignment(ctx: BenchContext) -> None:
    """Inspectors drawn for every merged visit and saved (core/assignment, one unit of work)."""
    from core.assignment import assign_campaign

    result = assign_campaign(ctx.con, ctx.year, "bench")
    ctx.notes["assignment_staffed"] = result.staffed
    ctx.notes["assignment_pairs"] = result.candidates


def _simulator_load(ctx: BenchContext) -> None:
    """The simulator's per-data-version context: frames, overlaps, capacity, past rates."""
    from core.simulate import scenario

    ctx.notes["simulator_context"] = scenario.load(ctx.con, ctx.year)


def _simulator_scenario(ctx: BenchContext) -> None:
    """One what-if on the loaded context, a different table each run: a slider move's cost."""
    from core.simulate import scenario

    sim = ctx.notes.get("simulator_context") or scenario.load(ctx.con, ctx.year)
    n = ctx.notes.setdefault("simulator_runs", 0) + 1
    ctx.notes["simulator_runs"] = n
    table = sim.table.copy()
    table.loc["B", "D"] = min(10_000, int(table.loc["B", "D"]) + 100 * n)
    scenario.evaluate(sim, table)


def _registry_search(ctx: BenchContext) -> None:
    cur = ctx.con.cursor()
    name = cur.execute("SELECT name FROM targets LIMIT 1 OFFSET ?", [ctx.scale // 2]).fetchall()
    for text in (name[0][0][-4:], "914403", None):
        registry_search.search_view(cur, "targets", text, {"district": ["南山区"]})
    cur.close()


def _timed(ctx: BenchContext, calls: dict[str, Callable[[Connection], Any]]) -> dict[str, Any]:
    """Run each page query on its own cursor (as a page does); the slowest one's name and time
    go in the stage's detail, the sum is the stage's time."""
    times = {}
    for label, fn in calls.items():
        cur = ctx.con.cursor()
        try:
            t0 = time.perf_counter()
            fn(cur)
            times[label] = time.perf_counter() - t0
        finally:
            cur.close()
    slowest = max(times, key=times.get)
    return {"slowest": slowest, "slowest_s": round(times[slowest], 4)}


def _overview_queries(ctx: BenchContext) -> dict[str, Any]:
    fns = (
        overview.headline,
        overview.departments_by_level,
        overview.items_by_class,
        overview.targets_by_district,
        overview.targets_by_street,
        overview.targets_by_kind,
        overview.inspectors_by_department,
        overview.plans_by_kind,
    )
    detail = _timed(ctx, {fn.__name__: fn for fn in fns})
    ctx.notes["slowest_query_s"] = max(ctx.notes.get("slowest_query_s", 0.0), detail["slowest_s"])
    return detail


def _first_plan(ctx: BenchContext) -> str:
    rows = ctx.con.execute("SELECT min(plan_id) FROM plans WHERE year = ?", [ctx.year])
    return rows.fetchall()[0][0]


def _plan_preview(ctx: BenchContext) -> None:
    """The Sampling page's preview of one plan (its breakdowns included)."""
    plan = _first_plan(ctx)
    sampling_report.preview_report(ctx.con, ctx.year, plan, "", "coordinated")


def _campaign_preview(ctx: BenchContext) -> None:
    """The Sampling page's preview of the whole campaign (its breakdowns included)."""
    sampling_report.preview_report(ctx.con, ctx.year, None, "", "coordinated")


def _risk_distribution(ctx: BenchContext) -> dict[str, Any]:
    """The Risk page's tier distribution by district, street and industry."""
    return _timed(ctx, {by: partial(risk.tier_distribution, by=by) for by in risk._DIMENSIONS})


def _risk_preview(ctx: BenchContext) -> dict[str, Any]:
    """The Risk page's weight preview: one weight changed, every weight changed, cut-offs only."""
    w = risk.weights(ctx.con)
    every = {k: round(v * 1.1 + 0.05, 3) for k, v in w.items()}
    return _timed(
        ctx,
        {
            "one_weight": partial(
                risk.preview, new_weights={"abnormal_list": w["abnormal_list"] + 0.5}
            ),
            "every_weight": partial(risk.preview, new_weights=every),
            "cutoffs": partial(risk.preview, new_weights={}, new_cutoffs={"D": 3.0}),
        },
    )


def _registry_paging(ctx: BenchContext) -> dict[str, Any]:
    """The Registries page: first page, a page deep in the directory, a tier filter, another
    tier with a district (each: page of rows with tiers, count, chart)."""
    mid = ctx.scale // 2
    return _timed(
        ctx,
        {
            "first_page": partial(registry_search.search_view, name="targets"),
            "deep_page": partial(registry_search.page, name="targets", after=mid),
            "tier_D": partial(registry_search.search_view, name="targets", filters={"tier": ["D"]}),
            "tier_C_district": partial(
                registry_search.search_view,
                name="targets",
                filters={"tier": ["C"], "district": ["南山区"]},
            ),
        },
    )


def _code_lookup(ctx: BenchContext) -> dict[str, Any]:
    """One target by its code: the Registries search, the Risk page's find and explain."""
    code = ctx.con.execute(
        "SELECT uscc FROM targets LIMIT 1 OFFSET ?", [ctx.scale * 3 // 4]
    ).fetchall()[0][0]
    return _timed(
        ctx,
        {
            "registry_search": partial(registry_search.search_view, name="targets", text=code),
            "risk_find": partial(risk.find_targets, text=code),
            "risk_explain": partial(risk.explain, uscc=code),
        },
    )


def _merge_page(ctx: BenchContext) -> dict[str, Any]:
    """The Merge page's queries over the saved merge."""
    y = ctx.year
    return _timed(
        ctx,
        {
            "status": partial(merge_report.status, year=y),
            "waterfall": partial(merge_report.waterfall, year=y),
            "comparison": partial(merge_report.comparison, year=y),
            "department_flows": partial(merge_report.department_flows, year=y),
            "most_merged": partial(merge_report.most_merged, year=y),
            "burden": partial(merge_report.burden, year=y),
        },
    )


def _assignments_page(ctx: BenchContext) -> dict[str, Any]:
    """The Assignments page's queries over the saved run, the download's export frame, and a
    replacement's search for the next inspector (what a click runs)."""
    from core.assignment import capacity, conflicts, replace, report

    y = ctx.year
    first = ctx.con.execute(
        "SELECT a.visit_id, a.dept_code FROM assignments a JOIN visits v USING (visit_id) "
        "WHERE a.active AND v.year = ? ORDER BY a.visit_id LIMIT 1",
        [y],
    ).fetchone()
    calls = {
        "capacity": partial(capacity.department_capacity, year=y),
        "shortfall_options": partial(capacity.shortfall_options, year=y),
        "run_info": partial(report.run_info, year=y),
        "coverage": partial(report.coverage_by_department, year=y),
        "assignments": partial(report.assignments, year=y),
        "desk_checks": partial(report.desk_checks, year=y),
        "workload": partial(report.workload, year=y),
        "workload_by_department": partial(report.workload_by_department, year=y),
        "unstaffed": partial(report.unstaffed, year=y),
        "recusal_hits": partial(report.recusal_hits, year=y),
        "replacements": partial(report.replacements, year=y),
        "conflicts": conflicts.list_conflicts,
        "export_assignments": lambda c: report.export_frame(report.assignments(c, y)),
    }
    if first is not None:
        calls["next_eligible"] = lambda c: replace.next_eligible(c, first[0], first[1])
    return _timed(ctx, calls)


# The annual cycle in order, then the page interactions. To add a stage, append a Stage here (or
# replace an absent one with its function): run(ctx) may return a dict, shown as its detail.
STAGES: list[Stage] = [
    Stage("init", _init),
    Stage("risk_scoring", _risk_scoring),
    Stage("campaign_draw", _campaign_draw),
    Stage("draw_vs_pandas", _draw_vs_pandas, repeatable=False),
    Stage("draw_commitment", _commitment, repeatable=False),
    Stage("draw_commit", _commit, repeatable=False),
    Stage("merge", _merge),
    Stage("assignment", _assignment),
    Stage("simulator_load", _simulator_load),
    Stage("simulator_scenario", _simulator_scenario),
    Stage("overview_queries", _overview_queries),
    Stage("discovery_queries", None, "not built yet (analytics issue)"),
    Stage("registry_search", _registry_search),
    Stage("plan_preview", _plan_preview),
    Stage("campaign_preview", _campaign_preview),
    Stage("risk_distribution", _risk_distribution),
    Stage("risk_preview", _risk_preview),
    Stage("registry_paging", _registry_paging),
    Stage("code_lookup", _code_lookup),
    Stage("merge_page", _merge_page),
    Stage("assignments_page", _assignments_page),
]


def stages() -> list[Stage]:
    """The stages in the order they run (see STAGES)."""
    return list(STAGES)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_bench(
    scale: str | int = "demo",
    repeat: int = 3,
    seed: int = synth.DEFAULT_SEED,
    workdir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
    db_path: str | Path | None = None,
    only: list[str] | None = None,
) -> dict[str, Any]:
    """Build a dataset of `scale` in a temporary folder and time every stage.

    `db_path`: time the stages on a copy of that database instead (no init); `only`: just these
    stages, in the usual order (later stages may need earlier ones: merge a commit, say)."""
    n = synth.parse_scale(scale)
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    unknown = sorted(set(only or []) - {s.name for s in stages()})
    if unknown:
        raise ValueError(f"no such stage: {', '.join(unknown)}")
    say = progress or (lambda _m: None)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="suicha-bench-") as tmp:
        ctx = BenchContext(db_path=Path(tmp) / "bench.duckdb", scale=n, seed=seed)
        chosen = [s for s in stages() if only is None or s.name in only]
        if db_path is not None:
            shutil.copy(db_path, ctx.db_path)
            ctx.con = connect(ctx.db_path)
            n = ctx.scale = int(ctx.con.execute("SELECT count(*) FROM targets").fetchall()[0][0])
            ctx.year = int(get_meta(ctx.con, "campaign_year") or ctx.year)
            chosen = [s for s in chosen if s.name != "init"]
        results = []
        for stage in chosen:
            if stage.run is None:
                results.append({"name": stage.name, "absent": stage.absent_reason})
                say(f"{stage.name}: absent ({stage.absent_reason})")
                continue
            times, details = [], []
            for _ in range(repeat if stage.repeatable else 1):
                t0 = time.perf_counter()
                detail = stage.run(ctx)
                times.append(time.perf_counter() - t0)
                details.append(detail)
            median = statistics.median(times)
            ctx.notes[f"{stage.name}_s"] = median
            entry = {"name": stage.name, "median_s": round(median, 3), "runs": len(times)}
            if isinstance(details[-1], dict):  # the run nearest the median
                entry["detail"] = details[times.index(sorted(times)[len(times) // 2])]
            if stage.name == "overview_queries":
                entry["slowest_query_s"] = round(ctx.notes["slowest_query_s"], 3)
            results.append(entry)
            say(f"{stage.name}: {median:.3f} s (median of {len(times)})")
        if ctx.con is not None:
            ctx.con.close()
    return {
        "scale": n,
        "targets": n,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "stages": results,
        "draw_vs_pandas": ctx.notes.get("draw_vs_pandas"),
    }


SCALING = (500_000, 1_000_000, 2_000_000, 6_430_000)


def run_scaling(
    scales: tuple[int, ...] = SCALING,
    repeat: int = 1,
    seed: int = synth.DEFAULT_SEED,
    workdir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The bench at several scales, to show how each stage's time grows with the directory."""
    runs = []
    for n in scales:
        if progress:
            progress(f"--- scale {n:,}")
        runs.append(run_bench(n, repeat, seed, workdir, progress))
    table = {
        s["name"]: {r["scale"]: _stage(r, s["name"]) for r in runs}
        for s in runs[0]["stages"]
        if "median_s" in s
    }
    return {"scales": list(scales), "runs": runs, "seconds_by_stage": table, "meta": machine()}


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import os
    import platform
    from datetime import datetime

    from core.vocab import TZ

    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "machine": f"{os.cpu_count()} cores, {mem_gib:.0f} GiB, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}",
        "date": datetime.now(TZ).date().isoformat(),
    }


def _stage(run: dict[str, Any], name: str) -> float | None:
    return next((s.get("median_s") for s in run["stages"] if s["name"] == name), None)


SCALING_RESULT = Path(__file__).resolve().parent.parent / "docs" / "bench-scaling.json"


def scaling_table(path: str | Path | None = None) -> Any:
    """A committed scaling run as rows (stage, targets, seconds), for the About page's chart;
    None when no run has been committed."""
    import json

    import pandas as pd

    path = Path(path or SCALING_RESULT)
    if not path.exists():
        return None
    result = json.loads(path.read_text(encoding="utf-8"))
    rows = [
        {"stage": stage, "targets": int(n), "seconds": s}
        for stage, by_scale in result["seconds_by_stage"].items()
        for n, s in by_scale.items()
        if s is not None
    ]
    peak = [{"targets": r["targets"], "peak_rss_mb": r["peak_rss_mb"]} for r in result["runs"]]
    return {"times": pd.DataFrame(rows), "memory": pd.DataFrame(peak), "meta": result.get("meta")}
