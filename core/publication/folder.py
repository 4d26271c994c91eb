"""Writing a package to a folder so that the folder is either absent or complete.

The files go into a staging folder beside the target (same file system, so the final rename is
atomic); every draw record in it is verified with the standalone verifier; MANIFEST.json (every
file's SHA-256 and size, and the audit chain's head) is written last; only then is the staging
folder renamed into place. A folder without MANIFEST.json, or whose files do not match it, is
not a publication. A kill at any moment leaves the target absent, the previous publication, or
the new one complete; leftovers of a killed run (staging folders, a previous publication moved
aside) are cleaned up, or put back, by the next run."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core import verify_draw_standalone as standalone
from core.refusal import Refused
from core.vocab import TZ

MANIFEST = "MANIFEST.json"
MANIFEST_FORMAT = "suicha-publication-manifest-v1"
STAGING = ".staging-"
REPLACED = ".replaced-"


def check_target(out: Path) -> Path:
    """Refuse, before anything is computed, a target that cannot become a publication folder: a
    file, a folder that holds something other than a publication, a missing parent folder."""
    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise Refused("publish.out_is_file", path=str(out))
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise Refused("publish.out_not_publication", path=str(out))
    if not out.parent.is_dir():
        raise Refused("publish.out_parent_missing", path=str(out.parent))
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise Refused("publish.out_not_writable", path=str(out.parent))
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(out: Path, marker: str) -> list[tuple[Path, int]]:
    prefix = f".{out.name}{marker}"
    found = []
    for p in out.parent.glob(f"{prefix}*"):
        try:
            pid = int(p.name[len(prefix) :].split("-")[0])
        except ValueError:
            continue
        found.append((p, pid))
    return found


def recover(out: Path) -> None:
    """Clean up after a killed run: staging folders of dead processes are removed; a previous
    publication moved aside is put back if the target is missing, else removed."""
    for path, pid in _leftovers(out, STAGING):
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
    for path, pid in _leftovers(out, REPLACED):
        if _alive(pid) and pid != os.getpid():
            continue
        if not out.exists() and (path / MANIFEST).is_file():
            os.rename(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_entries(folder: Path) -> list[dict[str, Any]]:
    """Every file under `folder` but the manifest: path, SHA-256 and size, read back from disk."""
    entries = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel == MANIFEST:
            continue
        data = path.read_bytes()
        entries.append({"path": rel, "sha256": hashlib.sha256(data).hexdigest(),
                        "size": len(data)})  # fmt: skip
    return entries


def manifest_bytes(files: dict[str, bytes], meta: dict[str, Any]) -> bytes:
    """A MANIFEST.json for files held in memory (the page's zip download)."""
    manifest = {
        "format": MANIFEST_FORMAT, **meta,
        "written_at": datetime.now(TZ).isoformat(timespec="seconds"),
        "files": [{"path": rel, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for rel, data in sorted(files.items()) if rel != MANIFEST],
    }  # fmt: skip
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode()


def verify_records(folder: Path) -> list[str]:
    """Problems found by the standalone verifier in the folder's draws (empty: all hold): the
    whole package when it has a commitment notice (record v2), else each legacy record."""
    if (folder / standalone.NOTICE_FILE).is_file():
        # every check but the strata split, which hashes every frame member: the engine just
        # drew it, and the auditor package's verification recomputes every stratum anyway
        results = [standalone.verify_path(folder, thorough=False)]
    else:
        results = [standalone.verify_legacy_file(p, base=folder)
                   for p in sorted((folder / "draws").glob("*.json"))]  # fmt: skip
    problems = []
    for result in results:
        for c in result["checks"]:
            if not c["ok"]:
                where = " ".join(str(x) for x in (c.get("plan"), c.get("stratum")) if x)
                problems.append(f"{where} {c['check']}: {c['detail']}".strip())
    return problems


def check_manifest(folder: Path) -> list[str]:
    """Problems of a publication folder against its manifest (empty: complete and unchanged)."""
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
        listed = {e["path"]: e for e in manifest["files"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        return [f"{MANIFEST}: missing or unreadable ({e})"]
    on_disk = {e["path"]: e for e in file_entries(Path(folder))}
    problems = [
        f"{p}: listed in the manifest but missing" for p in sorted(set(listed) - set(on_disk))
    ]
    problems += [f"{p}: not listed in the manifest" for p in sorted(set(on_disk) - set(listed))]
    for p in sorted(set(listed) & set(on_disk)):
        if (listed[p].get("sha256"), listed[p].get("size")) != (
            on_disk[p]["sha256"],
            on_disk[p]["size"],
        ):
            problems.append(f"{p}: SHA-256 or size differs from the manifest")
    return problems


@dataclass
class Staged:
    """A complete, verified staging folder waiting to be renamed into place."""

    path: Path
    target: Path
    manifest: dict[str, Any]

    def promote(self) -> None:
        """Rename into place; a previous publication is moved aside first, then removed."""
        aside = None
        if self.target.exists():
            aside = self.target.parent / f".{self.target.name}{REPLACED}{os.getpid()}-" \
                f"{secrets.token_hex(4)}"  # fmt: skip
            os.rename(self.target, aside)
        os.rename(self.path, self.target)
        _fsync_dir(self.target.parent)
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _disk_error(e: OSError, where: Path) -> Refused:
    if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return Refused("publish.disk_full", path=str(where))
    return Refused("publish.write_failed", path=str(where), error=e.strerror or str(e))


def stage(
    files: dict[str, bytes],
    out: Path,
    meta: dict[str, Any],
    verify: Callable[[Path], list[str]] = verify_records,
) -> Staged:
    """Write `files` into a staging folder beside `out`, verify them, write the manifest last.

    `meta` goes into the manifest as is (year, publication ids, the audit head). On any failure
    the staging folder is removed and a Refused says why (a full disk as such)."""
    out = check_target(out)
    recover(out)
    tmp = out.parent / f".{out.name}{STAGING}{os.getpid()}-{secrets.token_hex(4)}"
    try:
        tmp.mkdir()
        for rel in files:  # folders first, then the files in parallel (fsync waits, not CPU)
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda item: _write(tmp / item[0], item[1]), sorted(files.items())))
        problems = verify(tmp)
        if problems:
            raise Refused("publish.verify_failed", n=len(problems), first=problems[0])
        manifest = {
            "format": MANIFEST_FORMAT,
            **meta,
            "written_at": datetime.now(TZ).isoformat(timespec="seconds"),
            "files": file_entries(tmp),
        }
        _write(tmp / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode())
        _fsync_dir(tmp)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise _disk_error(e, out) from e
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Staged(path=tmp, target=out, manifest=manifest)
