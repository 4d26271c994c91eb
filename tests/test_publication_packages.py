"""Issue 18.4 with the real engine: a campaign committed before reveal (notice, then the draw on
its beacon date) is published as a public package without risk tiers and an auditor package whose
hash is in the public manifest; both verifiers pass; a scan finds no file in the public package
from which a target's tier can be read; the auditor package recomputes every selection with
hashlib alone; a rehearsal is never published as real; the Publish page offers both downloads to
those allowed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import db, sampling
from core import verify_draw_standalone as v
from core.publication import package
from core.vocab import TZ
from tests.apptest_helpers import run_app
from tests.test_publish import exported_texts

ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 1, 5, 10, 0, tzinfo=TZ)
CODE = re.compile(r"[0-9A-Z]{18}")


def real_campaign(path: Path) -> None:
    """A notice published on 2026-01-05 naming the beacon of 2026-01-08, drawn that evening."""
    con = db.connect(path)
    try:
        sampling.publish_commitment(con, 2026, "test", dt.date(2026, 1, 8), clock=lambda: T0)
        sampling.commit(con, 2026, "admin", beacon="10523.45",
                        clock=lambda: T0 + dt.timedelta(days=3, hours=8))  # fmt: skip
    finally:
        con.close()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


@pytest.fixture(scope="module")
def published(pristine_small, tmp_path_factory):
    base = tmp_path_factory.mktemp("packages")
    path = base / "small.duckdb"
    shutil.copy(pristine_small, path)
    real_campaign(path)
    r = cli("publish", "--year", "2026", "--out", str(base / "pub"), "--auditor-out",
            str(base / "aud"), "--db", str(path), "--json")  # fmt: skip
    assert r.returncode == 0, r.stderr
    return path, base / "pub", base / "aud", json.loads(r.stdout)


def tiers_of(aud: Path) -> dict[str, dict[str, str]]:
    """plan -> code -> tier, from the auditor package (the truth the public must not learn)."""
    out: dict[str, dict[str, str]] = {}
    for f in (aud / "frames").glob("*/*.txt"):
        text = f.read_text(encoding="utf-8")
        for c in text.split("\n") if text else []:
            out.setdefault(f.parent.name, {})[c] = f.stem
    return out


def test_both_verifiers_pass_on_the_published_packages(published):
    _, pub, aud, summary = published
    assert summary["draws"] > 100 and summary["auditor_files"] > summary["draws"]
    alone = subprocess.run(
        [sys.executable, "-I", "verify_draw.py", ".", "--auditor", str(aud), "--json"],
        cwd=pub,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert alone.returncode == 0, alone.stdout[-2000:] + alone.stderr
    result = json.loads(alone.stdout)
    assert result["ok"] and result["plans"] == summary["draws"]
    recomputed = [c for c in result["checks"] if c["check"] == "recompute"]
    assert len(recomputed) == 4 * summary["draws"] and all(c["ok"] for c in recomputed)
    engine = cli("verify", str(pub), "--auditor", str(aud), "--json")
    assert engine.returncode == 0 and json.loads(engine.stdout)["checks"] == result["checks"]
    manifest = json.loads((pub / "draws" / "manifest.json").read_bytes())
    audit_manifest = (aud / "audit" / "manifest.json").read_bytes()
    assert manifest["auditor_manifest_sha256"] == hashlib.sha256(audit_manifest).hexdigest()


def test_public_package_reveals_no_tier(published):
    """Scan every public file: no tier key, no per-tier frame, no codes grouped by tier."""
    _, pub, aud, _ = published
    truth = tiers_of(aud)
    assert sum(len(t) for t in truth.values()) > 1000  # the scan below is not vacuous
    texts = exported_texts(pub)
    assert not [p for p in texts if re.fullmatch(r"frames/[^/]+/[A-D]\.txt", p)]
    assert not list(pub.rglob("audit"))
    for rel, text in texts.items():
        if rel.endswith(".json") and rel not in ("plan_notices.json", "result_notices.json"):
            keys = set(re.findall(r'"([a-z_]+)":', text))
            assert not keys & {"tier", "tiers", "tier_salt", "risk", "score"}, rel
        if rel == "verify_draw.py":
            continue
        codes = CODE.findall(text)
        for plan, tiers in truth.items():
            listed = [tiers[c] for c in codes if c in tiers]
            counts = [listed.count(t) for t in set(listed)]
            if len(listed) < 20 or sum(n >= 5 for n in counts) < 2:
                continue  # too few to tell grouping from chance
            runs = 1 + sum(a != b for a, b in zip(listed, listed[1:], strict=False))
            # grouped by tier would be one run per tier; the whole frame (sorted by code) and the
            # selection (in u order) interleave the tiers
            assert runs > len(set(listed)), f"{rel} lists plan {plan}'s codes grouped by tier"
            for tier in set(tiers.values()):
                members = {c for c, t in tiers.items() if t == tier}
                if 1 < len(members) < len(tiers):
                    assert set(c for c in codes if c in tiers) != members, (rel, plan, tier)


def test_auditor_package_recomputes_with_hashlib_alone(published):
    """A dozen lines an auditor could write: every stratum's selection, bit for bit, in order."""
    _, pub, aud, _ = published
    checked = 0
    for path in sorted((aud / "audit" / "draws").glob("*.json")):
        record = json.loads(path.read_bytes())
        public = (pub / "draws" / path.name).read_bytes()
        assert hashlib.sha256(public).hexdigest() == record["public_record_sha256"]
        for st in record["strata"]:
            text = (aud / st["frame_file"]).read_text(encoding="utf-8")
            frame = text.split("\n") if text else []
            assert hashlib.sha256(text.encode()).hexdigest() == st["frame_sha256"]

            def u(c: str, s: str = record["prn_seed"]) -> float:
                return int.from_bytes(hashlib.sha256(f"{s}|{c}".encode()).digest()[:8],
                                      "big") / 2**64  # fmt: skip

            assert sorted(frame, key=lambda c: (u(c), c))[: st["quota"]] == st["selected"]
            checked += len(st["selected"])
    assert checked > 100


def test_rehearsal_is_never_published_as_real(pristine_small, tmp_path):
    path = tmp_path / "r.duckdb"
    shutil.copy(pristine_small, path)
    con = db.connect(path)
    sampling.publish_commitment(con, 2026, "test", dt.date(2026, 1, 8), secret="rehearsal",
                                clock=lambda: T0)  # fmt: skip
    sampling.commit(con, 2026, "admin", secret="rehearsal", beacon="10523.45",
                    clock=lambda: T0)  # fmt: skip
    con.close()
    r = cli("publish", "--year", "2026", "--out", str(tmp_path / "pub"), "--db", str(path))
    assert r.returncode == 1 and "rehearsal" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "pub").exists()
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM publications").fetchone()[0] == 0
    con.close()


def test_publish_page_offers_the_packages_to_those_allowed(app_env, published, tmp_path):
    path, pub, _, _ = published
    app_env(path)
    at = run_app(page="views/publish.py", role="admin", lang="en")
    at.button(key="pub_prepare").click().run()
    assert not at.exception
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("dl_package" in k for k in keys) and any("dl_auditor" in k for k in keys)
    at = run_app(page="views/publish.py", role="leadership", lang="en")
    at.button(key="pub_prepare").click().run()
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("dl_package" in k for k in keys) and not any("dl_auditor" in k for k in keys)
    # the zip the page offers verifies as the folder does, through the Verify page's path
    from core import verification

    con = db.connect(path)
    try:
        zips = package.package_zips(con, 2026, auditor=True)
    finally:
        con.close()
    result = verification.verify_uploaded({"pkg.zip": zips["public"]},
                                          {"aud.zip": zips["auditor"]})  # fmt: skip
    assert result["ok"], [c for c in result["checks"] if not c["ok"]][:3]
    assert any(c["check"] == "recompute" for c in result["checks"])
    # and the public zip holds no tier frame
    import io
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(zips["public"])).namelist()
    assert not [n for n in names if re.search(r"frames/[^/]+/[A-D]\.txt$", n)]
    assert v.MANIFEST_FILE in {n.split("/", 1)[1] for n in names}
