"""Issue 18.3-18.5: the verifier checks every field. Each tampering of issue 18 (and more) makes
both verifiers fail naming what is wrong: `python -m core verify` and the shipped verify_draw.py
run with `python -I` (no project on the path); the untampered package passes; malformed input
is a clear message and exit 1, never a traceback. Packages come from tests/package_reference.py
(hashlib, from docs/draw-record.md), which shares no code with the verifier."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import verify_draw_standalone as v
from core.__main__ import main as core_main
from tests import package_reference as ref

ROOT = Path(__file__).resolve().parent.parent
STANDALONE = ROOT / "core" / "verify_draw_standalone.py"


def run_both(pkg: Path, *extra: str) -> tuple[dict, dict, str]:
    """(core verify result, standalone result, standalone stderr): both must agree. The engine's
    CLI runs in this process (its real entry point, core.__main__.main); the shipped script in a
    clean interpreter (`python -I`, no project on the path)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = core_main(["verify", str(pkg), "--json", *extra])
    script = pkg.parent / "verify_draw.py"
    shutil.copy(STANDALONE, script)
    alone = subprocess.run([sys.executable, "-I", str(script), str(pkg), "--json", *extra],
                           cwd=pkg.parent, capture_output=True, text=True, timeout=120)  # fmt: skip
    for text in (err.getvalue(), alone.stderr):
        assert "Traceback" not in text, text
    if not out.getvalue() or not alone.stdout:  # refused outright: one line, exit 1 from both
        assert code == alone.returncode == 1, (err.getvalue(), alone.stderr)
        assert len(err.getvalue().strip().splitlines()) == 1
        assert err.getvalue().strip() == alone.stderr.strip()
        return {"ok": False, "checks": [], "error": err.getvalue()}, {}, alone.stderr
    a, b = json.loads(out.getvalue()), json.loads(alone.stdout)
    assert code == alone.returncode == (0 if a["ok"] else 1)
    assert a["checks"] == b["checks"]
    return a, b, alone.stderr


def failed(result: dict) -> dict[str, str]:
    return {c["check"]: c["detail"] for c in result["checks"] if not c["ok"]}


@pytest.fixture(scope="module")
def campaign():
    return ref.campaign()


@pytest.fixture
def files(campaign):
    public, auditor, facts = campaign
    return dict(public), dict(auditor), facts


def package(tmp_path: Path, public: dict[str, bytes], auditor: dict[str, bytes] | None = None):
    ref.write(public, tmp_path / "pub")
    if auditor is not None:
        ref.write(auditor, tmp_path / "aud")
    return tmp_path / "pub"


def edit(public: dict[str, bytes], rel: str, change) -> None:
    doc = json.loads(public[rel])
    change(doc)
    public[rel] = ref.canon(doc)


def test_untampered_package_passes_both_verifiers(tmp_path, files):
    public, auditor, facts = files
    pkg = package(tmp_path, public, auditor)
    result, _, _ = run_both(pkg, "--auditor", str(tmp_path / "aud"))
    assert result["ok"] and failed(result) == {}
    assert result["plans"] == 2
    recomputed = [c for c in result["checks"] if c["check"] == "recompute"]
    assert [(c["plan"], c["stratum"]) for c in recomputed] == [
        (p, t) for p in ("P-0001", "P-0002") for t in "ABCD"]  # fmt: skip
    # and with the notice's hash as seen before the draw
    seen = ref.sha(public["commitment.json"])
    assert run_both(pkg, "--commitment-sha256", seen)[0]["ok"]
    bad = run_both(pkg, "--commitment-sha256", "0" * 64)[0]
    assert "notice_seen" in failed(bad)


def test_one_record_verifies_alone(tmp_path, files):
    public, _, _ = files
    pkg = package(tmp_path, public)
    result, _, _ = run_both(pkg / "draws" / "P-0002.json")
    assert result["ok"] and result["plans"] == 1
    assert {c["plan"] for c in result["checks"]} == {None, "P-0002"}


# Each tampering: (name, function(public, facts) -> None, the check that must fail, a word the
# failure must name). The forger then recomputes the manifest's hashes (ref.rehash), so the
# deeper check, not only the manifest's hash, has to catch it.


def _swap_selection(p, f):
    edit(p, "draws/P-0001.json", lambda r: r["selected"].insert(0, r["selected"].pop(3)))


def _ratio_same_quota(p, f):
    def change(r):  # tier C: 1100 bp of 40 -> 5; 1050 bp of 40 -> 5 as well
        r["strata"][2]["ratio_bp"] = 1050

    edit(p, "draws/P-0001.json", change)


def _swap_records(p, f):
    p["draws/P-0001.json"], p["draws/P-0002.json"] = p["draws/P-0002.json"], p["draws/P-0001.json"]


def _swap_strata(p, f):
    one, two = json.loads(p["draws/P-0001.json"]), json.loads(p["draws/P-0002.json"])
    one["strata"][3], two["strata"][3] = two["strata"][3], one["strata"][3]
    p["draws/P-0001.json"], p["draws/P-0002.json"] = ref.canon(one), ref.canon(two)


def _drop_stratum(p, f):
    edit(p, "draws/P-0001.json", lambda r: r["strata"].pop(1))


def _plan_id(p, f):
    edit(p, "draws/P-0001.json", lambda r: r.update(plan_id="P-0009"))


def _campaign(p, f):
    edit(p, "draws/P-0001.json", lambda r: r.update(campaign="2025"))


def _frame_line_and_hash(p, f):
    text = p["frames/P-0001.txt"].decode().split("\n")
    text[5] = text[5][:-1] + ("0" if text[5][-1] != "0" else "1")
    data = "\n".join(sorted(set(text))).encode()
    p["frames/P-0001.txt"] = data
    edit(p, "draws/P-0001.json", lambda r: r.update(frame_sha256=ref.sha(data)))


def _remove_selected_from_frame(p, f):
    record = json.loads(p["draws/P-0001.json"])
    victim = record["selected"][0]
    codes = [c for c in p["frames/P-0001.txt"].decode().split("\n") if c != victim]
    data = "\n".join(codes).encode()
    p["frames/P-0001.txt"] = data
    record["selected"].remove(victim)
    record["frame_sha256"], record["frame_size"] = ref.sha(data), len(codes)
    record["quota"] -= 1
    p["draws/P-0001.json"] = ref.canon(record)


def _secret_commitment_seed(p, f):
    def change(r):
        r["secret"] = "77" * 32
        r["seed_commitment"] = ref.sha(r["secret"])
        r["seed"] = ref.sha(f"{r['secret']}|{r['beacon']}")
        r["prn_seed"] = r["seed"]

    edit(p, "draws/P-0001.json", change)


def _quota_up(p, f):
    edit(p, "draws/P-0001.json", lambda r: r["strata"][0].update(quota=r["strata"][0]["quota"] + 1))


def _beacon(p, f):
    edit(p, "draws/P-0001.json", lambda r: r.update(beacon="10523.48"))


def _beacon_bidi(p, f):
    def change(r):
        r["beacon"] = "10523.47\u202e"
        r["seed"] = ref.sha(f"{r['secret']}|{r['beacon']}")
        r["prn_seed"] = r["seed"]

    edit(p, "draws/P-0001.json", change)


def _outsider(p, f):
    def change(r):
        frame = set(p["frames/P-0001.txt"].decode().split("\n"))
        r["selected"][-1] = next(c for c in sorted(frame) if c not in r["selected"])

    edit(p, "draws/P-0001.json", change)


def _drop_plan_from_manifest(p, f):
    edit(p, "draws/manifest.json", lambda m: m["plans"].pop(1))


def _mode(p, f):
    edit(p, "draws/P-0001.json", lambda r: r.update(mode="independent"))


def _committed_before_beacon(p, f):
    edit(p, "draws/P-0001.json", lambda r: r.update(committed_at="2026-01-07T09:00:00+08:00"))


def _file_name(p, f):
    p["draws/P-0003.json"] = p.pop("draws/P-0001.json")


TAMPERINGS = [
    ("selection reordered", _swap_selection, "selection", "order"),
    ("ratio changed, same quota", _ratio_same_quota, "strata", "ratio"),
    ("two plans' record files swapped", _swap_records, "record_fields", "plan_id"),
    ("strata swapped between plans", _swap_strata, "strata", "ratio"),
    ("a stratum dropped", _drop_stratum, "record", "expected 4 entries"),
    ("plan_id changed", _plan_id, "record_fields", "plan_id"),
    ("campaign changed", _campaign, "record_fields", "campaign"),
    ("frame line edited with its hash", _frame_line_and_hash, "frame_anchor", "anchored"),
    ("selected firm removed from frame", _remove_selected_from_frame, "frame_anchor",
     "anchored"),
    ("secret, commitment and seed replaced", _secret_commitment_seed, "record_fields",
     "seed_commitment"),
    ("a quota raised", _quota_up, "strata", "quota"),
    ("beacon changed", _beacon, "seed", "sha256(secret|beacon)"),
    ("beacon with a bidi control", _beacon_bidi, "beacon", "U+202E"),
    ("an undrawn firm published", _outsider, "selection", "order"),
    ("a plan dropped from the manifest", _drop_plan_from_manifest, "manifest_plans", "P-0002"),
    ("mode changed", _mode, "record_fields", "mode"),
    ("committed before the beacon date", _committed_before_beacon, "committed_at", "before"),
    ("record file renamed to another plan", _file_name, "record", "missing"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "tamper", "check", "word"), TAMPERINGS,
                         ids=[t[0] for t in TAMPERINGS])  # fmt: skip
def test_each_tampering_fails_both_verifiers(tmp_path, files, name, tamper, check, word):
    public, _, facts = files
    tamper(public, facts)
    ref.rehash(public)
    result, _, _ = run_both(package(tmp_path, public))
    problems = failed(result)
    assert not result["ok"], name
    assert check in problems, f"{name}: {problems}"
    assert word in problems[check], f"{name}: {problems[check]}"


def test_without_rehash_the_manifest_catches_a_changed_record(tmp_path, files):
    public, _, _ = files
    _quota_up(public, None)
    result, _, _ = run_both(package(tmp_path, public))
    assert "manifest says" in failed(result)["record_sha256"]


def test_an_unlisted_record_is_caught(tmp_path, files):
    public, _, _ = files
    public["draws/P-0003.json"] = public["draws/P-0001.json"]
    result, _, _ = run_both(package(tmp_path, public))
    assert "draws/P-0003.json" in failed(result)["unlisted_files"]


def test_a_rehearsal_is_not_a_real_draw(tmp_path):
    public, _, _ = ref.campaign(rehearsal=True)
    result, _, _ = run_both(package(tmp_path, public))
    assert failed(result) == {"rehearsal": "rehearsal — not a real draw (a person supplied the "
                                           "secret)"}  # fmt: skip


def test_independent_mode_verifies(tmp_path):
    public, auditor, _ = ref.campaign(mode="independent")
    pkg = package(tmp_path, public, auditor)
    assert run_both(pkg, "--auditor", str(tmp_path / "aud"))[0]["ok"]


# --- the auditor package ----------------------------------------------------------------------


def test_auditor_tamperings(tmp_path, files):
    public, auditor, _ = files

    def audited(aud: dict[str, bytes], fix_public: bool = True) -> dict[str, str]:
        aud, pub = dict(aud), dict(public)
        am = json.loads(aud["audit/manifest.json"])  # the forger recomputes the auditor manifest
        am["files"] = [{"path": k, "sha256": ref.sha(b)} for k, b in sorted(aud.items())
                       if k != "audit/manifest.json"]  # fmt: skip
        aud["audit/manifest.json"] = ref.canon(am)
        if fix_public:  # and the public manifest, after publication
            edit(
                pub,
                "draws/manifest.json",
                lambda m: m.update(auditor_manifest_sha256=ref.sha(aud["audit/manifest.json"])),
            )
        root = tmp_path / f"case{len(list(tmp_path.iterdir()))}"
        ref.write(pub, root / "pub")
        ref.write(aud, root / "aud")
        result, _, _ = run_both(root / "pub", "--auditor", str(root / "aud"))
        return failed(result)

    # a tier frame edited (and its stratum's hash): the salted digest anchored before the draw
    aud = dict(auditor)
    lines = aud["frames/P-0001/D.txt"].decode().split("\n")
    aud["frames/P-0001/D.txt"] = "\n".join(lines[:-1]).encode()
    edit(
        aud,
        "audit/draws/P-0001.json",
        lambda r: r["strata"][3].update(
            frame_sha256=ref.sha(aud["frames/P-0001/D.txt"]), frame_size=len(lines) - 1
        ),
    )
    problems = audited(aud)
    assert "anchored" in problems["tier_digest"] and "tier_partition" in problems

    # a stratum's selection reordered: recomputation, bit for bit, in order
    aud = dict(auditor)
    edit(aud, "audit/draws/P-0002.json",
         lambda r: r["strata"][0]["selected"].reverse())  # fmt: skip
    problems = audited(aud)
    assert "position 1" in problems["recompute"]

    # the auditor package replaced: its hash is not the one the public manifest carries
    aud = dict(auditor)
    edit(aud, "audit/draws/P-0002.json", lambda r: r.update(reason="x"))
    problems = audited(aud, fix_public=False)
    assert "the public manifest says" in problems["auditor_manifest"]

    # a tier moved between strata (A and B frames swapped) with everything recomputed
    aud = dict(auditor)
    aud["frames/P-0001/A.txt"], aud["frames/P-0001/B.txt"] = (
        aud["frames/P-0001/B.txt"],
        aud["frames/P-0001/A.txt"],
    )
    problems = audited(aud)
    assert "tier_digest" in problems


def test_auditor_recomputes_with_hashlib_alone(tmp_path, files):
    """The auditor package re-computes every selection bit for bit with hashlib and json only:
    an independent few lines, not the verifier."""
    import hashlib

    public, auditor, _ = files
    for pid in ("P-0001", "P-0002"):
        audit = json.loads(auditor[f"audit/draws/{pid}.json"])
        assert hashlib.sha256(public[f"draws/{pid}.json"]).hexdigest() == audit[
            "public_record_sha256"]  # fmt: skip
        for st in audit["strata"]:
            frame = auditor[st["frame_file"]].decode().split("\n")
            key = [(int.from_bytes(hashlib.sha256(f"{audit['prn_seed']}|{c}".encode())
                                   .digest()[:8], "big") / 2**64, c) for c in frame]  # fmt: skip
            assert [c for _, c in sorted(key)[: st["quota"]]] == st["selected"]


# --- malformed input: a message, exit 1, never a traceback ---------------------------------------

MALFORMED = [
    ("a list where a string belongs", lambda r: r.update(plan_id=["P-0001"]), "$.plan_id"),
    ("a null quota", lambda r: r["strata"][0].update(quota=None), "$.strata[0].quota"),
    ("a string quota", lambda r: r.update(quota="5"), "$.quota"),
    ("a boolean size", lambda r: r.update(frame_size=True), "$.frame_size"),
    ("a float ratio", lambda r: r["strata"][1].update(ratio_bp=2.5), "$.strata[1].ratio_bp"),
    ("an unknown field", lambda r: r.update(tier="D"), "$.tier: unknown field"),
    ("a missing field", lambda r: r.pop("seed"), "$.seed: missing"),
    ("selected is an object", lambda r: r.update(selected={"a": 1}), "$.selected"),
    ("strata is a string", lambda r: r.update(strata="A"), "$.strata"),
    ("a number in selected", lambda r: r["selected"].append(7), "$.selected"),
    ("a bad time", lambda r: r.update(committed_at="yesterday"), "$.committed_at"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "change", "where"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_record_fields(tmp_path, files, name, change, where):
    public, _, _ = files
    edit(public, "draws/P-0001.json", change)
    ref.rehash(public)
    result, _, _ = run_both(package(tmp_path, public))
    assert where in failed(result)["record"], failed(result)


RAW = [
    ("a byte-order mark", lambda b: b"\xef\xbb\xbf" + b, "byte-order mark"),
    ("not JSON", lambda b: b"{not json", "not JSON"),
    ("not UTF-8", lambda b: b"\xff\xfe" + b, "not UTF-8"),
    ("not canonical", lambda b: json.dumps(json.loads(b), indent=1).encode(), "not canonical"),
    ("NaN", lambda b: b.replace(b'"quota":', b'"quota":NaN,"x":', 1), "not JSON"),
    ("a duplicated key", lambda b: b[:-1] + b',"plan_id":"P-0002"}', "appears twice"),
    ("deep nesting", lambda b: b"[" * 100000 + b"]" * 100000, "nested too deeply"),
    ("a JSON list", lambda b: b"[]", "expected an object"),
    ("empty", lambda b: b"", "not JSON"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "change", "word"), RAW, ids=[r[0] for r in RAW])
def test_malformed_record_bytes(tmp_path, files, name, change, word):
    public, _, _ = files
    public["draws/P-0001.json"] = change(public["draws/P-0001.json"])
    ref.rehash(public)
    result, _, _ = run_both(package(tmp_path, public))
    assert word in failed(result)["record"], failed(result)


def test_malformed_notice_and_manifest(tmp_path, files):
    public, _, _ = files
    pub = dict(public)
    pub["commitment.json"] = b"\xef\xbb\xbf" + pub["commitment.json"]
    assert "byte-order mark" in failed(run_both(package(tmp_path / "1", pub))[0])["notice"]
    pub = dict(public)
    edit(pub, "draws/manifest.json", lambda m: m["plans"][0].update(frame_size=None))
    assert "frame_size" in failed(run_both(package(tmp_path / "2", pub))[0])["manifest"]
    pub = dict(public)
    del pub["commitment.json"]
    assert "missing" in failed(run_both(package(tmp_path / "3", pub))[0])["notice"]


def test_huge_record_is_refused_without_reading_it_all(tmp_path, files):
    public, _, _ = files
    pkg = package(tmp_path, public)
    with open(pkg / "draws" / "P-0001.json", "wb") as f:
        f.truncate(v.MAX_JSON_BYTES + 1)
    result, _, _ = run_both(pkg)
    assert "more than the" in failed(result)["record"]


def test_bad_targets_are_one_line_errors(tmp_path):
    (tmp_path / "x.txt").write_text("hello")
    for target in (tmp_path / "missing", tmp_path / "x.txt"):
        result, _, err = run_both(target)
        assert result["error"].startswith("error: ") and str(target) in result["error"]


def test_legacy_record_still_verifies_and_is_hardened(tmp_path):
    """A record of the first format (no `format` key) with per-tier frames next to it."""
    public, auditor, _ = ref.campaign()
    audit = json.loads(auditor["audit/draws/P-0001.json"])
    legacy = {k: audit[k] for k in ("algorithm", "campaign", "plan_id", "mode", "seed_commitment",
                                    "secret", "beacon", "seed", "strata")}  # fmt: skip
    (tmp_path / "draws").mkdir()
    (tmp_path / "draws" / "P-0001.json").write_text(json.dumps(legacy))
    for st in legacy["strata"]:
        (tmp_path / st["frame_file"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / st["frame_file"]).write_bytes(auditor[st["frame_file"]])
    result, _, _ = run_both(tmp_path / "draws" / "P-0001.json")
    assert result["ok"], failed(result)
    legacy["strata"][0]["quota"] = None
    (tmp_path / "draws" / "P-0001.json").write_text(json.dumps(legacy))
    assert "quota" in failed(run_both(tmp_path / "draws" / "P-0001.json")[0])["fields"]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf{}", b"{not json", b"[1, 2]", b'{"strata": null}'])
def test_page_and_cli_accept_and_refuse_the_same_record(tmp_path, data):
    """One record uploaded on the Verify page and given to the CLI: the same verdict, the same
    words (issue 18: a BOM was refused by the CLI and accepted by the page)."""
    from core import verification

    (tmp_path / "draws").mkdir()
    path = tmp_path / "draws" / "P-0001.json"
    path.write_bytes(data)
    result, _, _ = run_both(path)
    try:
        page = verification.verify_uploaded({"P-0001.json": data})
    except verification.Unreadable as e:
        # the same reason; the CLI names the file by its path, the page by its upload name
        assert result["error"].strip().endswith(str(e).split(": ", 1)[1])
        assert result["error"].strip().endswith("draws/P-0001.json: " + str(e).split(": ", 1)[1])
    else:
        assert page["ok"] is result["ok"] is False
        assert v.plain(page)["checks"] == result["checks"]


def _mutations(value, rng):
    """A few ways a value can be wrong: another type, null, empty, huge, nested."""
    return rng.choice([None, True, -1, 2**60, 1.5, "", "x" * 300, [], {}, [value], {"v": value},
                       "\u202e", "A"])  # fmt: skip


def test_fuzzed_documents_never_crash_the_verifier(files):
    """400 seeded mutations of every document (a field's value replaced, a field dropped or
    added, bytes cut): every one is a verdict with named failures, never an exception."""
    import random

    public, auditor, _ = files
    rng = random.Random(18)
    docs = [p for p in public if p.endswith(".json")] + [p for p in auditor if p.endswith(".json")]
    for _ in range(400):
        pub, aud = dict(public), dict(auditor)
        target = rng.choice(docs)
        store = pub if target in pub else aud
        if rng.random() < 0.15:
            store[target] = store[target][: rng.randrange(len(store[target]))]
        else:
            doc = json.loads(store[target])
            node, key = doc, None
            for _depth in range(rng.randrange(1, 4)):  # walk down to a random field
                if isinstance(node, dict) and node:
                    key = rng.choice(sorted(node))
                    if isinstance(node[key], (dict, list)) and node[key] and rng.random() < 0.5:
                        node = node[key]
                        key = None
                        continue
                elif isinstance(node, list) and node:
                    key = rng.randrange(len(node))
                break
            if key is None:
                continue
            action = rng.random()
            if action < 0.2 and isinstance(node, dict):
                del node[key]
            elif action < 0.3 and isinstance(node, dict):
                node["extra"] = 1
            else:
                node[key] = _mutations(node[key], rng)
            store[target] = ref.canon(doc)
        if rng.random() < 0.5:
            try:
                ref.rehash(pub)  # the test's forger, not the verifier, may choke on junk
            except (TypeError, KeyError, ValueError, AttributeError):
                pass
        result = v.verify_package(pub.get, audit_read=aud.get)
        assert result["ok"] is False or store[target] in (public.get(target), auditor.get(target))
        assert all(isinstance(c["detail"], str) for c in result["checks"])


def test_public_check_of_the_strata_split(tmp_path, files):
    """Without tiers the public still catches a selection no split into strata of the published
    sizes can explain: the frame's smallest-u code left out (it is the smallest of its stratum,
    so it is drawn whatever its tier) for an undrawn one, the order kept and the hashes redone."""
    public, _, _ = files
    record = json.loads(public["draws/P-0001.json"])
    s = record["prn_seed"]
    frame = public["frames/P-0001.txt"].decode().split("\n")
    by_u = sorted(frame, key=lambda c: (v.prn(s, c), c))
    assert by_u[0] in record["selected"]
    undrawn = [c for c in by_u if c not in record["selected"]]
    record["selected"] = sorted([*record["selected"][1:], undrawn[len(undrawn) // 2]],
                                key=lambda c: (v.prn(s, c), c))  # fmt: skip
    assert by_u[0] not in record["selected"]
    public["draws/P-0001.json"] = ref.canon(record)
    ref.rehash(public)
    result, _, _ = run_both(package(tmp_path, public))
    assert set(failed(result)) == {"selection_strata"}
    assert "smaller u" in failed(result)["selection_strata"]
