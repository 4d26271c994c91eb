"""Building a database file from scratch, atomically: the app and the CLI both use this, so a
half-built file is never seen by anyone (it is written beside the target and renamed at the end).

One database, one owner: rebuilding over a file that another process (the app, a CLI run) holds
open is refused, and the build keeps the old file's lock until the new file is in place, so
nobody can open the old file in between and go on writing into a file that is gone."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

from core import audit, synth
from core.db import connect


class DatabaseExists(Exception):
    """Raised when a build would overwrite a database and `force` was not given."""


class DatabaseInUse(Exception):
    """Raised when another process holds the database a build would replace."""


def building_path(path: Path) -> Path:
    return path.with_name(path.name + ".building")


def remove_leftovers(path: str | os.PathLike) -> list[Path]:
    """Delete what an interrupted build left beside `path` (the temporary file and its WAL)."""
    tmp = building_path(Path(path))
    removed = []
    for leftover in (tmp, Path(str(tmp) + ".wal"), audit.anchor_path(tmp)):
        if leftover.is_file():
            leftover.unlink()
            removed.append(leftover)
    return removed


@contextlib.contextmanager
def _owned(path: Path) -> Iterator[None]:
    """Hold `path`'s write lock for the block (when it is a database), refusing if another
    process holds it."""
    if not path.exists():
        yield
        return
    try:
        holder = duckdb.connect(str(path))
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise DatabaseInUse(
                f"{path} is in use by another process (the app or a command); stop it first"
            ) from e
        holder = None  # not a database we can open: replacing it is what --force asks for
    try:
        yield
    finally:
        if holder is not None:
            holder.close()


def wants_demo_accounts(scale: str | int) -> bool:
    """Every scale but "full" is a demo: it gets the demo accounts."""
    return str(scale).lower() != "full"


# Where the first-run build's bar stands as each campaign step starts (measured on the demo:
# the registries take about 45 % of the time, the campaign's draw much of the rest)
CAMPAIGN_SHARE = 0.45
CAMPAIGN_STEPS = {"campaign_draw": 0.46, "campaign_merge": 0.8, "campaign_assign": 0.86,
                  "campaign_results": 0.93}  # fmt: skip


def build_database(
    path: str | os.PathLike,
    scale: str | int = "demo",
    seed: int = synth.DEFAULT_SEED,
    force: bool = False,
    progress: synth.Progress | None = None,
    actor: str = "system",
    campaign: bool = False,
    demo_accounts: bool | None = None,
) -> synth.BuildSummary:
    """Build the synthetic registries at `path`; with `campaign` (the demo) the campaign year is
    also drawn, merged, staffed and given simulated results (core/results/demo.py). Demo
    accounts (core/users.DEMO_ACCOUNTS) are created unless `demo_accounts` is False; by default
    every scale but "full" gets them (a full-scale database is for real use: its first account
    comes from `python -m core users add`)."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseExists(f"{path} is a folder; name a database file")
    if demo_accounts is None:
        demo_accounts = wants_demo_accounts(scale)
    if path.exists() and not force:
        raise DatabaseExists(f"{path} already exists; use --force to rebuild it")
    synth.parse_scale(scale)  # fail on a bad scale before touching any file
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = building_path(path)
    with _owned(path):
        remove_leftovers(path)
        try:
            con = connect(tmp)
            # with the campaign the registries are a little over half of the work: the bar
            # moves on through the campaign's steps instead of waiting at the end
            share = CAMPAIGN_SHARE if campaign else 1.0
            scaled = (lambda f, m: progress(f * share, m)) if progress else None
            try:
                summary = synth.build(
                    con, scale=scale, seed=seed, progress=scaled, actor=actor,
                    demo_accounts=demo_accounts,
                )  # fmt: skip
                if campaign:
                    from core.results.demo import prepare_campaign

                    def step(name: str) -> None:
                        if progress:
                            progress(CAMPAIGN_STEPS.get(name, share), name)

                    prepare_campaign(con, synth.CAMPAIGN_YEAR, actor, progress=step)
                    con.execute("CHECKPOINT")
                    if progress:
                        progress(1.0, "done")
            finally:
                con.close()
            Path(str(path) + ".wal").unlink(missing_ok=True)
            os.replace(tmp, path)
            # the new file's audit anchor replaces the old file's (core/audit.py)
            if audit.anchor_path(tmp).is_file():
                os.replace(audit.anchor_path(tmp), audit.anchor_path(path))
            else:
                audit.anchor_path(path).unlink(missing_ok=True)
        except BaseException:
            remove_leftovers(path)
            raise
    return summary
