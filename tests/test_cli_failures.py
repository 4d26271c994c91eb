"""Bad command lines end in one line on stderr and exit 1 (rejected) or 2 (usage), never a
traceback, and change nothing: no database is created by a command other than init, and no
temporary build file is left behind."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core import db

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "core", *args], cwd=ROOT, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@pytest.fixture()
def place(tmp_path, small_path) -> dict[str, Path]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "text.txt").write_text("hello\n", encoding="utf-8")
    (tmp_path / "empty.duckdb").write_bytes(b"")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    return {"tmp": tmp_path, "db": small_path}


# (arguments with {tmp} and {db} placeholders, expected exit code, words the message must hold)
BAD = [
    (["export", "targets", "{tmp}/out.csv", "--db", "{tmp}/missing/x.duckdb"], 1, "no database"),
    (["draw", "--year", "2026", "--db", "{tmp}/folder"], 1, "folder"),
    (["merge", "--year", "2026", "--db", "{tmp}/text.txt"], 1, "not a Suicha database"),
    (["risk", "--db", "{tmp}/empty.duckdb"], 1, "not a Suicha database"),
    (["import", "targets", "{tmp}/missing.csv", "--mode", "append", "--db", "{db}"], 2, "file"),
    (["import", "targets", "{tmp}/folder", "--mode", "append", "--db", "{db}"], 2, "file"),
    (["init", "--scale", "-5", "--db", "{tmp}/x.duckdb"], 2, "scale"),
    (["init", "--scale", "999999999999", "--db", "{tmp}/x.duckdb"], 2, "at most"),
    (["init", "--scale", "lots", "--db", "{tmp}/x.duckdb"], 2, "scale"),
    (["init", "--force", "--scale", "1000", "--db", "{tmp}/folder"], 1, "folder"),
    (["verify", "{tmp}/bad.json"], 1, "bad.json"),
    (["verify", "{tmp}/missing.json"], 1, "missing.json"),
    (["draw", "--year", "abc"], 2, "invalid int"),
    (["nonsense"], 2, "invalid choice"),
]


@pytest.mark.parametrize(("argv", "code", "words"), BAD, ids=[" ".join(b[0][:2]) for b in BAD])
def test_bad_invocation_is_one_line(place, argv, code, words):
    before = sorted(p.name for p in place["tmp"].iterdir())
    args = [a.format(tmp=place["tmp"], db=place["db"]) for a in argv]
    r = cli(*args)
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    lines = [ln for ln in r.stderr.splitlines() if ln.strip() and not ln.startswith("init:")]
    assert words in lines[-1], lines
    if code == 1:
        assert len(lines) == 1, lines
    after = sorted(p.name for p in place["tmp"].iterdir())
    assert after == before  # nothing created: no database, no folder, no .building file


def test_init_force_refused_while_another_process_holds_the_database(small_path):
    """The holder keeps writing after the refusal, and none of its writes is lost."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from core import db
            con = db.connect({str(small_path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
            con.execute("INSERT INTO meta VALUES ('holder_wrote', 'yes')")
            con.close()
            print("done", flush=True)
        """)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = small_path.read_bytes()
        r = cli("init", "--force", "--scale", "1000", "--db", str(small_path))
        assert r.returncode == 1, r.stderr
        assert "in use" in r.stderr and "Traceback" not in r.stderr
        assert small_path.read_bytes() == before
        assert not Path(str(small_path) + ".building").exists()
        holder.stdin.write("go\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "done"
    finally:
        holder.wait(timeout=60)
    con = db.connect(small_path)
    assert db.get_meta(con, "holder_wrote") == "yes"
    assert con.execute("SELECT count(*) FROM targets").fetchone()[0] == 5_000
    con.close()


def test_cli_write_while_another_process_holds_the_database(small_path):
    """What the pages' CLI hints lead to while the app runs: a clear message and exit 1."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from core import db
            con = db.connect({str(small_path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "ready"
        for argv in (["risk"], ["merge", "--year", "2026"], ["export", "targets", "/tmp/x.csv"]):
            r = cli(*argv, "--db", str(small_path))
            assert r.returncode == 1, (argv, r.stderr)
            assert "Traceback" not in r.stderr
            assert r.stderr.strip().splitlines() == [
                "error: the database is in use by another process (the app or another "
                "command); stop it or wait, then try again"
            ]
    finally:
        holder.communicate("go\n", timeout=60)


def test_leftover_build_files_are_removed(tmp_path):
    from core.bootstrap import build_database, remove_leftovers

    target = tmp_path / "x.duckdb"
    (tmp_path / "x.duckdb.building").write_bytes(b"half")
    (tmp_path / "x.duckdb.building.wal").write_bytes(b"half")
    assert len(remove_leftovers(target)) == 2
    with pytest.raises(ValueError):
        build_database(target, "lots")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
