"""python -m core init: real subprocesses on real files."""

import json
import subprocess
import sys
from pathlib import Path

from core import db
from core.writes import cli_actor

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_init_builds_and_reports(tmp_path):
    path = tmp_path / "cli.duckdb"
    r = cli("init", "--db", str(path), "--scale", "3000", "--seed", "5", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["targets"] == 3000 and out["items"] == 3654 and out["departments"] == 178
    assert out["inspectors"] == 8452 and out["plans"] == 758 and out["seed"] == 5
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 3000
    assert con.execute("SELECT value FROM meta WHERE key = 'dataset_seed'").fetchone()[0] == "5"
    log = con.execute("SELECT actor, action FROM audit_log ORDER BY seq").fetchall()
    assert [a for _, a in log] == ["dataset.build", "users.demo_accounts"] + ["users.add"] * 5
    assert {who for who, _ in log} == {cli_actor()}  # the OS user, never a free argument
    assert sorted(out["accounts"]) == ["admin", "inspector", "leader", "policy", "reviewer"]
    con.close()


def test_init_text_summary_and_refusal(tmp_path):
    path = tmp_path / "cli.duckdb"
    r = cli("init", "--db", str(path), "--scale", "2000")
    assert r.returncode == 0, r.stderr
    assert "targets" in r.stdout and "2,000" in r.stdout and "3,654" in r.stdout
    before = path.read_bytes()
    r = cli("init", "--db", str(path), "--scale", "4000")
    assert r.returncode == 1
    assert "already exists" in r.stderr and "--force" in r.stderr
    assert path.read_bytes() == before
    r = cli("init", "--db", str(path), "--scale", "4000", "--force")
    assert r.returncode == 0, r.stderr
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 4000
    con.close()


def test_init_rejects_bad_scale(tmp_path):
    path = tmp_path / "bad.duckdb"
    r = cli("init", "--db", str(path), "--scale", "lots")
    assert r.returncode == 2
    assert "scale" in r.stderr
    assert not path.exists()


def test_unknown_command_is_usage_error():
    assert cli("nonsense").returncode == 2
