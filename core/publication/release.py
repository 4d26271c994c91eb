"""Publishing a year into a public folder: the notices' new versions and the folder land
together or not at all.

Order (issue 16.3): the target is checked first; inside one unit of work the changed notices are
stored, the package is built from them and staged beside the target (written, every draw record
verified, manifest last); the unit commits only once the staging folder is complete; then the
folder is renamed into place. A kill before the commit leaves the database as it was and no
folder; a kill between the commit and the rename leaves the database published and the staging
folder behind, which the next run removes before writing the same publication again (the
versions are unchanged, so nothing is stored twice)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core import audit
from core import verify_draw_standalone as standalone
from core.db import Connection
from core.publication import folder, package, versions
from core.refusal import Refused
from core.writes import unit_of_work


def audit_head(con: Connection) -> dict[str, Any]:
    """The audit chain's head (core/audit.py head), anchored in every manifest so a deleted tail
    or a rewritten chain shows against the publications that went out."""
    return audit.head(con)


@dataclass
class Release:
    """What one publication run stored and wrote."""

    year: int
    out: str
    new: list[str] = field(default_factory=list)
    unchanged: int = 0
    corrections: int = 0
    results_available: bool = False
    plan_notices: int = 0
    result_notices: int = 0
    draws: int = 0
    frame_files: int = 0
    files: list[str] = field(default_factory=list)
    manifest_sha256: str = ""
    auditor_out: str | None = None
    auditor_files: int = 0


def verify_auditor(public_root: Path) -> Callable[[Path], list[str]]:
    """The auditor folder's check: the whole auditor verification against the public folder."""

    def verify(audit_root: Path) -> list[str]:
        result = standalone.verify_path(public_root, audit_root)
        return [f"{c.get('plan') or ''} {c['check']}: {c['detail']}".strip()
                for c in result["checks"] if not c["ok"]]  # fmt: skip

    return verify


def publish_to_folder(
    con: Connection, year: int, out: Path, actor: str, reason: str | None = None,
    auditor_out: Path | None = None,
) -> Release:  # fmt: skip
    """Store the year's changed notices and write its public folder at `out` (and, if asked,
    the auditor package at `auditor_out`), atomically: both folders or neither.

    Refused (nothing stored, no folder) when a target is unusable, a draw cannot be exported,
    the staged package does not verify, or the disk is full."""
    out = folder.check_target(Path(out))
    if auditor_out is not None:
        auditor_out = folder.check_target(Path(auditor_out))
        if auditor_out == out or out in auditor_out.parents or auditor_out in out.parents:
            raise Refused("publish.auditor_inside_public", path=str(auditor_out))
    detail: dict[str, Any] = {
        "year": year,
        "reason": reason,
        "out": str(out),
        "auditor_out": None if auditor_out is None else str(auditor_out),
    }
    staged = staged_auditor = None
    try:
        with unit_of_work(con, actor, "publication.publish", detail) as work:
            stored = versions.store_year(work, year, reason)
            pkg = package.public_package(con, year)
            ids = sorted(
                versions.published(con, versions.PLAN_NOTICE, year)["publication_id"].tolist()
                + versions.published(con, versions.RESULT_NOTICE, year)["publication_id"].tolist()
            )
            meta = {"year": year, "publication_ids": ids, "audit_head": audit_head(con)}
            staged = folder.stage(pkg.files, out, meta)
            manifest_sha = folder.file_sha256(staged.path / folder.MANIFEST)
            if auditor_out is not None:
                if not pkg.auditor:
                    raise Refused("publish.no_auditor_package", year=year)
                staged_auditor = folder.stage(pkg.auditor, auditor_out, meta,
                                              verify=verify_auditor(staged.path))  # fmt: skip
            detail |= {"new": len(stored.new), "corrections": stored.corrections,
                       "manifest_sha256": manifest_sha}  # fmt: skip
    except BaseException:
        for s in (staged, staged_auditor):
            if s is not None:
                s.discard()
        raise
    staged.promote()
    if staged_auditor is not None:
        staged_auditor.promote()
    return Release(
        year=year, out=str(out), new=stored.new, unchanged=stored.unchanged,
        corrections=stored.corrections, results_available=pkg.results_available,
        plan_notices=pkg.plan_notices, result_notices=pkg.result_notices, draws=pkg.draws,
        frame_files=pkg.frame_files, files=sorted([*pkg.files, folder.MANIFEST]),
        manifest_sha256=manifest_sha,
        auditor_out=None if auditor_out is None else str(auditor_out),
        auditor_files=len(pkg.auditor) if auditor_out is not None else 0,
    )  # fmt: skip
