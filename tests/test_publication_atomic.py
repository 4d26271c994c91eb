"""Publication is atomic (issue 16.3): killed at any moment, out of disk, or refused, `publish`
leaves the target folder absent or complete and verifying, and the database's new versions only
once the folder is complete."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import db
from core import verify_draw_standalone as standalone
from core.publication import folder, release
from core.refusal import Refused
from tests import draw_reference as ref

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def drawn_db(pristine_small, tmp_path_factory) -> Path:
    """A small database with three committed draws, nothing published yet."""
    path = tmp_path_factory.mktemp("atomic") / "small.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    ref.commit_draws(con, ref.largest_plans(con, 3))
    con.close()
    return path


@pytest.fixture
def db_copy(drawn_db, tmp_path) -> Path:
    dst = tmp_path / "db.duckdb"
    shutil.copy(drawn_db, dst)
    return dst


def publish_cmd(db_path: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "core", "publish", "--year", "2026", "--out", str(out),
            "--db", str(db_path)]  # fmt: skip


def assert_absent_or_complete(out: Path) -> bool:
    """The invariant: no folder, or a folder matching its manifest whose records all verify.
    Returns True when the folder is there."""
    if not out.exists():
        return False
    assert folder.check_manifest(out) == [], f"{out} is incomplete"
    records = sorted((out / "draws").glob("*.json"))
    assert len(records) == 3
    for path in records:
        assert standalone.verify_file(path, base=out)["ok"], path
    manifest = json.loads((out / folder.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == folder.MANIFEST_FORMAT and manifest["year"] == 2026
    assert len(manifest["audit_head"]["row_hash"]) == 64
    return True


def beside(folder: Path) -> list[str]:
    """What is in the folder besides the database and its audit anchor side file."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("db.duckdb"))


def stored_ids(db_path: Path) -> set[str]:
    con = db.connect(db_path)
    try:
        return {r[0] for r in con.execute("SELECT publication_id FROM publications").fetchall()}
    finally:
        con.close()


def test_a_complete_publication_has_a_manifest_of_every_file(db_copy, tmp_path):
    out = tmp_path / "pub"
    r = subprocess.run(publish_cmd(db_copy, out), cwd=ROOT, capture_output=True, text=True,
                       timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert assert_absent_or_complete(out)
    manifest = json.loads((out / folder.MANIFEST).read_text(encoding="utf-8"))
    on_disk = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert [e["path"] for e in manifest["files"]] == [p for p in on_disk if p != folder.MANIFEST]
    assert set(manifest["publication_ids"]) == stored_ids(db_copy)
    # the manifest catches a changed, a missing and an added file
    (out / "plan_notices.csv").write_bytes(b"changed")
    (out / "verify_draw.py").unlink()
    (out / "extra.txt").write_text("x")
    problems = folder.check_manifest(out)
    assert any(p.startswith("plan_notices.csv:") and "differs" in p for p in problems)
    assert "verify_draw.py: listed in the manifest but missing" in problems
    assert "extra.txt: not listed in the manifest" in problems
    assert not list(tmp_path.glob(".pub*"))  # no staging folder left


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_publish_leaves_nothing_half_done(db_copy, tmp_path, seed):
    """SIGKILL at random moments (seeded), and at the moments that matter most: while the
    staging folder fills, and once its manifest is written (between commit and rename)."""
    rng = random.Random(seed)
    out = tmp_path / "pub"
    other = tmp_path / "timing"
    t0 = time.monotonic()
    subprocess.run(publish_cmd(db_copy, other), cwd=ROOT, capture_output=True, timeout=300,
                   check=True)  # fmt: skip
    full = time.monotonic() - t0
    shutil.rmtree(other)
    killed_with_folder = 0
    for attempt in range(4):
        proc = subprocess.Popen(publish_cmd(db_copy, out), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)  # fmt: skip
        if attempt == 0:  # as soon as the staging folder holds files
            _wait_for(lambda: any(p.is_dir() and any(p.iterdir())
                                  for p in tmp_path.glob(".pub.staging-*")), proc)  # fmt: skip
        elif attempt == 1:  # once the manifest is written
            _wait_for(lambda: any(tmp_path.glob(f".pub.staging-*/{folder.MANIFEST}")), proc)
        else:
            time.sleep(rng.uniform(0.2, 1.0) * full)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        killed_with_folder += assert_absent_or_complete(out)
        if out.exists():  # what the folder lists was committed in the database
            manifest = json.loads((out / folder.MANIFEST).read_text(encoding="utf-8"))
            assert set(manifest["publication_ids"]) <= stored_ids(db_copy)
    # the next run recovers: complete, verifying, no leftovers beside it
    r = subprocess.run(publish_cmd(db_copy, out), cwd=ROOT, capture_output=True, text=True,
                       timeout=300)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert assert_absent_or_complete(out)
    assert beside(tmp_path) == ["pub"]


def _wait_for(condition, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        if condition():
            return
        time.sleep(0.005)


def test_full_disk_simulated_leaves_no_partial_folder(db_copy, tmp_path, monkeypatch):
    """ENOSPC on the fifth file written: refused as a full disk, no folder, no new versions."""
    real = folder._write
    written = []

    def filling(path: Path, data: bytes) -> None:
        if len(written) >= 4:  # the disk is full from the fifth file on
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path)
        real(path, data)

    monkeypatch.setattr(folder, "_write", filling)
    before = stored_ids(db_copy)
    con = db.connect(db_copy)
    try:
        with pytest.raises(Refused) as refused:
            release.publish_to_folder(con, 2026, tmp_path / "pub", "os:test")
    finally:
        con.close()
    assert refused.value.key == "publish.disk_full"
    assert "disk full" in refused.value.message("en") and "磁盘已满" in refused.value.message("zh")
    assert 4 <= len(written) <= 4 + 8  # at most one more per writing thread
    assert beside(tmp_path) == []
    assert stored_ids(db_copy) == before == set()


def _can_mount_tmpfs(where: Path) -> bool:
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
         f"mount -t tmpfs -o size=64k tmpfs {where}"],
        capture_output=True, timeout=30,
    ) if shutil.which("unshare") else None  # fmt: skip
    return probe is not None and probe.returncode == 0


def test_full_disk_on_a_small_tmpfs(db_copy, tmp_path):
    """A real full disk: a tmpfs smaller than the package, mounted in a private namespace."""
    mnt = tmp_path / "small_disk"
    mnt.mkdir()
    if not _can_mount_tmpfs(mnt):
        pytest.skip("cannot mount a tmpfs here (the simulated ENOSPC test covers this)")
    cmd = " ".join(f"'{a}'" for a in publish_cmd(db_copy, mnt / "pub"))
    script = (f"mount -t tmpfs -o size=96k tmpfs '{mnt}' && cd '{ROOT}' && {cmd}; "
              f"echo \"rc=$?\"; ls -A '{mnt}'; echo END")  # fmt: skip
    r = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script],
                       capture_output=True, text=True, timeout=300)  # fmt: skip
    assert "rc=1" in r.stdout, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().startswith("error: disk full while writing")
    assert len(r.stderr.strip().splitlines()) == 1
    listing = r.stdout.split("rc=1", 1)[1].replace("END", "").split()
    assert listing == []  # neither the folder nor a staging folder
    assert stored_ids(db_copy) == set()
