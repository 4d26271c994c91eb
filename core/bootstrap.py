"""Building a database file from scratch, atomically: the app and the CLI both use this, so a
half-built file is never seen by anyone (it is written beside the target and renamed at the end)."""

from __future__ import annotations

import os
from pathlib import Path

from core import synth
from core.db import connect


class DatabaseExists(Exception):
    """Raised when a build would overwrite a database and `force` was not given."""


def build_database(
    path: str | os.PathLike,
    scale: str | int = "demo",
    seed: int = synth.DEFAULT_SEED,
    force: bool = False,
    progress: synth.Progress | None = None,
    actor: str = "system",
) -> synth.BuildSummary:
    path = Path(path)
    if path.exists() and not force:
        raise DatabaseExists(f"{path} already exists; use --force to rebuild it")
    synth.parse_scale(scale)  # fail on a bad scale before touching any file
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    con = connect(tmp)
    try:
        summary = synth.build(con, scale=scale, seed=seed, progress=progress, actor=actor)
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    con.close()
    Path(str(path) + ".wal").unlink(missing_ok=True)
    os.replace(tmp, path)
    return summary
