"""python -m core bench: the annual cycle timed stage by stage on a dataset of a given scale.

Each stage is a function of a BenchContext; a stage whose engine is not built yet is listed with
run=None and reported as absent, never faked. Times are medians over `repeat` runs; memory is
the process's peak resident set (getrusage), which includes every stage run so far.
"""

from __future__ import annotations

import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import overview, synth
from core.bootstrap import build_database
from core.db import Connection, connect


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


def _overview_queries(ctx: BenchContext) -> None:
    cur = ctx.con.cursor()
    for fn in (
        overview.headline,
        overview.departments_by_level,
        overview.items_by_class,
        overview.targets_by_district,
        overview.targets_by_street,
        overview.targets_by_kind,
        overview.inspectors_by_department,
        overview.plans_by_kind,
    ):
        fn(cur)
    cur.close()


def stages() -> list[Stage]:
    """The annual cycle in order. Later issues replace the absent entries with real stages."""
    return [
        Stage("init", _init),
        Stage("risk_scoring", None, "not built yet (credit-risk issue)"),
        Stage("campaign_draw", None, "not built yet (sampling issue)"),
        Stage("merge", None, "not built yet (merge issue)"),
        Stage("assignment", None, "not built yet (inspector-assignment issue)"),
        Stage("simulator_scenario", None, "not built yet (ratio-simulator issue)"),
        Stage("overview_queries", _overview_queries),
        Stage("discovery_queries", None, "not built yet (analytics issue)"),
        Stage("registry_search", None, "not built yet (registries issue)"),
    ]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_bench(
    scale: str | int = "demo",
    repeat: int = 3,
    seed: int = synth.DEFAULT_SEED,
    workdir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build a dataset of `scale` in a temporary folder and time every stage."""
    n = synth.parse_scale(scale)
    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    say = progress or (lambda _m: None)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="suicha-bench-") as tmp:
        ctx = BenchContext(db_path=Path(tmp) / "bench.duckdb", scale=n, seed=seed)
        results = []
        for stage in stages():
            if stage.run is None:
                results.append({"name": stage.name, "absent": stage.absent_reason})
                say(f"{stage.name}: absent ({stage.absent_reason})")
                continue
            times = []
            for _ in range(repeat if stage.repeatable else 1):
                t0 = time.perf_counter()
                stage.run(ctx)
                times.append(time.perf_counter() - t0)
            median = statistics.median(times)
            results.append({"name": stage.name, "median_s": round(median, 3), "runs": len(times)})
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
