"""A draw package written from docs/draw-record.md with hashlib alone, for the verifier tests.

It shares no code with core/verify_draw_standalone.py or core/sampling, so a bug in either cannot
hide here: the public package (commitment notice, records, whole frames, campaign manifest) and
the auditor package (auditor records, tier frames, auditor manifest) of a small synthetic
campaign, as {relative path: bytes}."""

from __future__ import annotations

import hashlib
import json
import random

TIERS = ("A", "B", "C", "D")
SECRET = "5e" * 32
BEACON = "10523.47"
RATIOS = {
    "default": {
        "A": {"A": 50, "B": 100, "C": 500, "D": 2500},
        "B": {"A": 70, "B": 200, "C": 1100, "D": 4000},
        "C": {"A": 70, "B": 200, "C": 1100, "D": 3000},
    },
    "overrides": {"P-0002": {"A": 1000, "B": 2000, "C": 3000, "D": 5000}},
}


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def canon(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def frame(codes) -> bytes:
    return "\n".join(sorted(codes)).encode()


def u(prn_seed: str, code: str) -> float:
    return int.from_bytes(hashlib.sha256(f"{prn_seed}|{code}".encode()).digest()[:8], "big") / 2**64


def code(rng: random.Random) -> str:
    return "9144" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(14))


def campaign(seed: int = 7, sizes=((400, 120, 40, 12), (300, 90, 30, 9), (50, 20, 8, 3)),
             mode: str = "coordinated", rehearsal: bool = False):  # fmt: skip
    """(public files, auditor files, facts) of a three-plan campaign; plan 3 has no draw."""
    rng = random.Random(seed)
    classes = ["B", "A", "C"]
    plans = {}
    for i, tier_sizes in enumerate(sizes, start=1):
        pid = f"P-{i:04d}"
        plans[pid] = {t: sorted({code(rng) for _ in range(n)}) for t, n in
                      zip(TIERS, tier_sizes, strict=True)}  # fmt: skip
    salt = "ab" * 16
    ratio_table = {
        "default": RATIOS["default"],
        "overrides": {k: v for k, v in RATIOS["overrides"].items() if k in plans},
    }
    notice_plans = []
    for i, (pid, tiers) in enumerate(plans.items()):
        whole = [c for t in TIERS for c in tiers[t]]
        digest = sha("suicha-tier-frames-v1\n" + salt + "\n" + pid + "\n" + "\n".join(
            f"{t}:{sha(frame(tiers[t]))}" for t in TIERS))  # fmt: skip
        notice_plans.append({"plan_id": pid, "item_class": classes[i], "frame_size": len(whole),
                             "frame_sha256": sha(frame(whole)),
                             "tier_frames_digest": digest})  # fmt: skip
    notice = {
        "format": "suicha-draw-commitment-v1", "algorithm": "suicha-prn-sha256-v1",
        "campaign": "2026", "commitment_id": "2026-c1", "supersedes": None,
        "rehearsal": rehearsal, "mode": mode, "seed_commitment": sha(SECRET),
        "beacon": {"source": "深证成指 close", "format": "szse-close-2dp", "date": "2026-01-08"},
        "published_at": "2026-01-05T10:00:00+08:00", "ratio_table": ratio_table,
        "ratio_table_sha256": sha(canon(ratio_table)), "plans": notice_plans,
    }  # fmt: skip
    notice_bytes = canon(notice)
    seed = sha(f"{SECRET}|{BEACON}")
    public = {"commitment.json": notice_bytes}
    auditor: dict[str, bytes] = {}
    entries = []
    for i, (pid, tiers) in enumerate(plans.items()):
        whole = sorted(c for t in TIERS for c in tiers[t])
        entry = {"plan_id": pid, "draw_id": None, "record_file": None, "record_sha256": None,
                 "frame_file": f"frames/{pid}.txt", "frame_sha256": sha(frame(whole)),
                 "frame_size": len(whole)}  # fmt: skip
        if i == 2:  # the third plan is not drawn
            entries.append(entry)
            continue
        s = seed if mode == "coordinated" else f"{seed}|{pid}"
        rates = ratio_table["overrides"].get(pid) or ratio_table["default"][classes[i]]
        strata, audit_strata, picked = [], [], []
        for t in TIERS:
            n = len(tiers[t])
            q = min(n, (n * rates[t] + 9999) // 10000)
            sel = sorted(tiers[t], key=lambda c, s=s: (u(s, c), c))[:q]
            picked += sel
            strata.append({"ratio_bp": rates[t], "frame_size": n, "quota": q})
            audit_strata.append({"tier": t, "ratio_bp": rates[t], "frame_size": n,
                                 "frame_sha256": sha(frame(tiers[t])),
                                 "frame_file": f"frames/{pid}/{t}.txt", "quota": q,
                                 "selected": sel})  # fmt: skip
            auditor[f"frames/{pid}/{t}.txt"] = frame(tiers[t])
        common = {
            "algorithm": "suicha-prn-sha256-v1", "campaign": "2026", "plan_id": pid,
            "draw_id": f"{pid}-d1", "mode": mode, "rehearsal": rehearsal,
            "commitment_id": "2026-c1", "commitment_sha256": sha(notice_bytes),
            "seed_commitment": sha(SECRET), "secret": SECRET, "beacon": BEACON, "seed": seed,
            "prn_seed": s, "supersedes": None, "reason": None,
        }  # fmt: skip
        record = {
            **common, "format": "suicha-draw-record-v2",
            "commitment_published_at": notice["published_at"],
            "committed_at": "2026-01-08T16:10:02+08:00", "frame_file": f"frames/{pid}.txt",
            "frame_size": len(whole), "frame_sha256": sha(frame(whole)), "strata": strata,
            "quota": sum(x["quota"] for x in strata),
            "selected": sorted(picked, key=lambda c, s=s: (u(s, c), c)),
        }  # fmt: skip
        audit = {**common, "format": "suicha-draw-audit-v1", "prn": "u(c) = …",
                 "tier_salt": salt, "tier_frames_digest": notice_plans[i]["tier_frames_digest"],
                 "public_record_sha256": sha(canon(record)), "strata": audit_strata}  # fmt: skip
        public[f"draws/{pid}.json"] = canon(record)
        public[f"frames/{pid}.txt"] = frame(whole)
        auditor[f"audit/draws/{pid}.json"] = canon(audit)
        entry |= {"draw_id": f"{pid}-d1", "record_file": f"draws/{pid}.json",
                  "record_sha256": sha(canon(record))}  # fmt: skip
        entries.append(entry)
    audit_manifest = {
        "format": "suicha-draw-audit-manifest-v1",
        "campaign": "2026",
        "commitment_sha256": sha(notice_bytes),
        "files": [{"path": p, "sha256": sha(b)} for p, b in sorted(auditor.items())],
    }
    auditor["audit/manifest.json"] = canon(audit_manifest)
    manifest = {"format": "suicha-draw-manifest-v1", "campaign": "2026", "rehearsal": rehearsal,
                "commitment_id": "2026-c1", "commitment_sha256": sha(notice_bytes),
                "commitment_file": "commitment.json", "plans": entries,
                "auditor_manifest_sha256": sha(auditor["audit/manifest.json"])}  # fmt: skip
    public["draws/manifest.json"] = canon(manifest)
    facts = {"plans": plans, "notice": notice, "seed": seed}
    return public, auditor, facts


def write(files: dict[str, bytes], root) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def rehash(public: dict[str, bytes], plan_id: str | None = None) -> None:
    """A consistent forger's finishing touch: the manifest's hashes recomputed for what the
    files now hold (the notice, published before the draw, cannot be changed)."""
    manifest = json.loads(public["draws/manifest.json"])
    for entry in manifest["plans"]:
        if entry["record_file"] and entry["record_file"] in public:
            entry["record_sha256"] = sha(public[entry["record_file"]])
        if entry["frame_file"] in public:
            entry["frame_sha256"] = sha(public[entry["frame_file"]])
            text = public[entry["frame_file"]].decode()
            entry["frame_size"] = len(text.split("\n")) if text else 0
    public["draws/manifest.json"] = canon(manifest)
