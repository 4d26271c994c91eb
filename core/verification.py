"""Verification for the Verify page: the standalone verifier's checks (verify_draw.py), fed from
the database (the package the publication would write) or from uploaded files. The page and the
CLI accept the same inputs and say the same things: a package (as a zip, or its files), one
record with the campaign's documents, or a record of the first format with its frame files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import PurePosixPath
from typing import Any

from core import i18n
from core import verify_draw_standalone as standalone
from core.db import Connection
from core.publication import draws, package

MAX_ZIP_MEMBERS = 100_000
MAX_ZIP_BYTES = 2 * standalone.MAX_FRAME_BYTES
Unreadable = standalone.Unreadable
PREFIX = "verifier."  # the verifier's keys in the message catalogue (core/messages/verifier.py)


class Reason(standalone.Say):
    """A reason of this module (not of the standalone script): its English is the catalogue's."""

    def __str__(self) -> str:
        return said_text(self.as_json(), "en")


def said_text(say: dict[str, Any], lang: str) -> str:
    """One of the verifier's sayings ({"key", "values"}, as a check's `says` holds them) in
    `lang`; values that are sayings themselves are translated first, a draw mode and a beacon
    format are named as the rest of the app names them."""
    values = {k: _value(k, say["key"], v, lang) for k, v in say.get("values", {}).items()}
    return i18n.t(PREFIX + say["key"], lang, **values)


def _value(name: str, key: str, value: Any, lang: str) -> Any:
    if isinstance(value, list):
        return ("；" if lang == "zh" else "; ").join(str(_value(name, key, v, lang)) for v in value)
    if isinstance(value, dict) and "key" in value:
        return said_text(value, lang)
    if name == "mode":
        return i18n.label("merge.mode_short", value, lang)
    if name == "fmt" and key.startswith("beacon"):
        return i18n.label("beacon.format", value, lang)
    return value


def detail(check: dict[str, Any], lang: str) -> str:
    """What a check found, in `lang` (the standalone script's own words are its `detail`)."""
    says = check.get("says")
    if not says:
        return str(check.get("detail", ""))
    return ("；" if lang == "zh" else "; ").join(said_text(s, lang) for s in says)


def reason(e: Exception, lang: str) -> str:
    """Why an input cannot be verified, in `lang`."""
    if isinstance(e, Unreadable):
        return said_text(e.say.as_json(), lang)
    message = getattr(e, "message", None)
    return message(lang) if callable(message) else str(e)


def verify_published(con: Connection, draw_id: str) -> dict[str, Any]:
    """Re-run a committed draw from what the publication would ship: for a record of the current
    format, the year's public package (checked as a whole, this plan's checks shown); for a
    record of the first format, the record and its frames as kept at draw time."""
    text = draws.draw_record(con, draw_id)
    if text is None:
        raise Unreadable(Reason("no_draw", draw_id=draw_id))
    record = json.loads(text)
    if "format" not in record:
        frames = draws.stratum_frames(con, draw_id)
        by_path = {
            str(s.get("frame_file")): draws.frame_bytes(frames.get(s.get("tier"), []))
            for s in record.get("strata", [])
            if isinstance(s, dict)
        }
        result = standalone.verify_legacy_record(record, by_path.get)
        result["package"] = f"draws/{record.get('plan_id')}.json"
        return result
    year = con.execute("SELECT year FROM draws WHERE draw_id = ?", [draw_id]).fetchone()[0]
    notice = package.commitment_notice(con, int(year))
    if notice is None:
        raise Unreadable(Reason("no_notice", year=int(year)))
    pkg = package.Package(year=int(year))
    package.draw_package_files(con, int(year), notice, pkg)
    files = pkg.files
    result = standalone.verify_package(files.get, only_plan=record.get("plan_id"))
    result["package"] = f"draws/{record.get('plan_id')}.json"
    return result


def unzip(data: bytes, name: str) -> dict[str, bytes]:
    """A package zip's files by path, the top folder (if all share one) removed. Refuses what
    is not a zip, too many members, members escaping the package or too large in total."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in z.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise Unreadable(Reason("zip.bad", name=name, reason=str(e))) from None
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise Unreadable(Reason("zip.big", name=name))
    paths = [PurePosixPath(i.filename) for i in infos]
    if any(p.is_absolute() or ".." in p.parts for p in paths):
        raise Unreadable(Reason("zip.escape", name=name))
    tops = {p.parts[0] for p in paths if len(p.parts) > 1}
    strip = len(tops) == 1 and all(len(p.parts) > 1 for p in paths)
    out = {}
    try:
        for info, path in zip(infos, paths, strict=True):
            rel = PurePosixPath(*path.parts[1:]) if strip else path
            out[str(rel)] = z.read(info)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        raise Unreadable(Reason("zip.member", name=name, reason=str(e))) from None
    return out


def uploaded_files(uploads: dict[str, bytes]) -> dict[str, bytes]:
    """Uploaded files as package paths: a zip is unpacked; loose files are placed by name
    (commitment.json, manifest.json -> draws/, <plan>.json -> draws/, <plan>.txt -> frames/)."""
    files: dict[str, bytes] = {}
    for name, data in uploads.items():
        if name.lower().endswith(".zip"):
            files.update(unzip(data, name))
        elif name == standalone.NOTICE_FILE:
            files[name] = data
        elif name.endswith(".json"):
            files[f"draws/{name}"] = data
        else:
            files[f"frames/{name}"] = data
    return files


def _legacy(files: dict[str, bytes]) -> list[str]:
    records = [p for p in files if p.startswith("draws/") and p.endswith(".json")
               and p != standalone.MANIFEST_FILE]  # fmt: skip
    if standalone.NOTICE_FILE in files or len(records) != 1:
        return []
    try:
        doc = standalone.parse_json(files[records[0]], records[0], canonical=False)
    except Unreadable:
        return records  # unreadable on its own: refused with the CLI's very words below
    return records if not isinstance(doc, dict) or "format" not in doc else []


def verify_uploaded(uploads: dict[str, bytes], auditor: dict[str, bytes] | None = None):
    """Verify uploaded files exactly as `python -m core verify` verifies them on disk.

    Raises Unreadable (a one-line reason) when the upload is not something to verify."""
    files = uploaded_files(uploads)
    legacy = _legacy(files)
    if legacy:
        rel = legacy[0]
        record = standalone.parse_json(
            standalone.read_bytes(files.get, rel, standalone.MAX_JSON_BYTES), rel, canonical=False
        )

        def read(path: str) -> bytes | None:  # browsers upload bare names (e.g. D.txt)
            return files.get(path) or files.get(f"frames/{PurePosixPath(path).name}")

        result = standalone.verify_legacy_record(record, read)
        result["package"] = rel
        return result
    if standalone.NOTICE_FILE not in files:
        raise Unreadable(Reason("no_notice_file"))
    records = [p for p in files if p.startswith("draws/") and p != standalone.MANIFEST_FILE]
    only = PurePosixPath(records[0]).stem if len(records) == 1 else None
    audit_files = uploaded_auditor(auditor) if auditor else None
    result = standalone.verify_package(files.get, only, audit_files.get if audit_files else None)
    result["package"] = ", ".join(sorted(uploads))
    return result


def uploaded_auditor(uploads: dict[str, bytes]) -> dict[str, bytes]:
    """The auditor package: a zip (as the Publish page gives it) or its files by path."""
    files: dict[str, bytes] = {}
    for name, data in uploads.items():
        files.update(unzip(data, name) if name.lower().endswith(".zip") else {name: data})
    return files


def check_commitment(secret: str, commitment: str, beacon: str = "", seed: str = "") -> dict:
    """The two checks anyone can do by hand: sha256(secret) == commitment, and (when a seed is
    given) seed == sha256(secret|beacon)."""
    out = {"commitment_ok": standalone.sha256_hex(secret) == commitment.strip().lower(),
           "commitment": standalone.sha256_hex(secret)}  # fmt: skip
    if seed:
        derived = standalone.sha256_hex(f"{secret}|{beacon}")
        out |= {"seed_ok": derived == seed.strip().lower(), "seed": derived}
    return out
