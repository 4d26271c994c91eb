"""Search latency of the Registries page on a real database (not a test: timings vary by machine).

    python -m bench.registry_search --db /tmp/full.duckdb

Each case runs what one search on the page runs (`search_view`: the first page of rows, the
count of matches and the chart's breakdown), and, separately, one more page (`page`, what "next"
costs); five times after a warm-up; the median in milliseconds is reported."""

from __future__ import annotations

import argparse
import os
import statistics
import time

from core import db
from core import registry_search as rs


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median wall-clock and process CPU milliseconds (CPU over both cores: on a busy shared
    machine wall time inflates, CPU time shows the work itself)."""
    fn()
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    args = p.parse_args()
    con = db.connect(args.db, read_only=True)
    n = con.execute("SELECT count(*) FROM targets").fetchone()[0]
    uscc, name = con.execute("SELECT uscc, name FROM targets LIMIT 1 OFFSET ?", [n // 2]).fetchone()
    deep = con.execute("SELECT max(rowid) - 100 FROM targets").fetchone()[0]
    cases = [
        ("targets", "full code", uscc, None, None),
        ("targets", "code prefix (10 chars)", uscc[:10], None, None),
        ("targets", "exact name", name, None, None),
        ("targets", "name substring 科技", "科技", None, None),
        ("targets", "no search, first page", None, None, None),
        ("targets", "no search, page near the end", None, None, deep),
        ("targets", "district + street filter", None,
         {"district": ("宝安区",), "street": ("新桥街道",)}, None),
        ("targets", "name 餐饮 + district + kind", "餐饮",
         {"district": ("南山区",), "kind": ("individual",)}, None),
        ("items", "name substring 食品", "食品", None, None),
        ("inspectors", "dept prefix 440305", "440305", None, None),
    ]  # fmt: skip
    print(f"{n:,} targets in {args.db}; load average {os.getloadavg()[0]:.1f}")
    print(
        f"{'registry':<11}{'case':<34}{'matches':>10}{'search ms':>12}{'cpu ms':>10}{'page ms':>10}"
    )
    for registry, label, text, filters, after in cases:
        matches = rs.count(con, registry, text, filters)
        view_ms = timed(lambda r=registry, t=text, f=filters: rs.search_view(con, r, t, f))
        page_ms = timed(lambda r=registry, t=text, f=filters, a=after: rs.page(con, r, t, f, a))
        print(
            f"{registry:<11}{label:<34}{matches:>10,}{view_ms[0]:>12.0f}{view_ms[1]:>10.0f}"
            f"{page_ms[0]:>10.0f}"
        )
    con.close()


if __name__ == "__main__":
    main()
