"""Old home of the public package writer, kept so that `core.export.X` keeps working; the code
lives in core/publication/package.py (the files) and folder.py / release.py (writing them)."""

from __future__ import annotations

from pathlib import Path

from core.db import Connection
from core.publication import folder
from core.publication.package import (  # noqa: F401
    STANDALONE,
    Package,
    csv_bytes,
    draw_files,
    inert,
    json_bytes,
    plan_notice_files,
    plan_notice_rows,
    public_package,
    result_notice_rows,
    safe_relative,
    xlsx_bytes,
)
from core.publication.release import audit_head


def write_publication(con: Connection, year: int, out: Path) -> Package:
    """Write the year's already published notices, draws and verifier at `out`, atomically
    (staged, verified, manifest last, renamed into place); stores nothing."""
    pkg = public_package(con, year)
    meta = {"year": year, "audit_head": audit_head(con)}
    folder.stage(pkg.files, Path(out), meta).promote()
    return pkg
