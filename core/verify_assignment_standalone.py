"""Recompute an inspector assignment (suicha-assign-sha256-v1) from its record, with the Python
standard library alone (hashlib, json): no import of the Suicha code, no database.

Usage: python verify_assignment_standalone.py RECORD.json [--sha256 HEX]

The record (python -m core assign --year Y --record FILE) lists every input of the rule: the
campaign seed, the caps, the visits in order with their departments and the qualification
fields each department's items need, the active certified inspectors with their
qualifications, and the recusals (declared conflicts, inspectors of the previous campaign). This
script applies the rule (docs/assignment-rule.md) to them and compares what it finds with the
outcome in the record: every assignment (visit, department, inspector, rank, role) and every
unstaffed department with its reason. Exit 0 when they agree, 1 when they differ (the first
difference is named), 2 when the record cannot be read."""

from __future__ import annotations

import hashlib
import json
import sys

ALGORITHM = "suicha-assign-sha256-v1"


def key(seed, visit_id, inspector_id):
    digest = hashlib.sha256(f"{seed}|{visit_id}|{inspector_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def ordered(seed, visit_id, inspector_ids):
    """The inspectors sorted by (key, inspector id). The same keys as key(): SHA-256 reads its
    text in order, so hashing "{seed}|{visit_id}|" once and copying that state before adding
    each inspector id gives sha256(f"{seed}|{visit_id}|{inspector_id}") (faster, same digest)."""
    start = hashlib.sha256(f"{seed}|{visit_id}|".encode())
    keyed = []
    for inspector_id in inspector_ids:
        h = start.copy()
        h.update(inspector_id.encode())
        keyed.append((int.from_bytes(h.digest()[:8], "big"), inspector_id))
    keyed.sort()
    return [inspector_id for _, inspector_id in keyed]


def in_area(dept, district, street):
    if dept is None:
        return False
    if dept["level"] == "district":
        return dept["district"] == district
    if dept["level"] == "street":
        return dept["street"] == street
    return True


def recompute(record):
    """The rule applied to the record's inputs: (assignments, unstaffed) as the record lists
    them."""
    seed = record["seed"]
    caps = record["caps"]
    departments = record["departments"]
    by_dept = {}
    for inspector_id, dept, quals in record["inspectors"]:
        by_dept.setdefault(dept, []).append((inspector_id, frozenset(quals)))
    recused = {(i, u) for i, u, _ in record["recused"]}
    recused_targets = {u for _, u in recused}
    qualified_for = {}  # (dept, fields) -> the department's inspectors holding every field
    visits = record["visits"]
    order = [(v[2], v[0]) for v in visits]
    if order != sorted(order):
        raise ValueError("visits are not in the rule's order (window start, visit id)")
    load = {}
    assignments, unstaffed = [], []
    for visit_id, uscc, _start, district, street, _kind, slots in visits:
        depts = [d for d, _ in slots]
        if depts != sorted(depts):
            raise ValueError(f"visit {visit_id}: departments are not sorted")
        need = 2 if len(slots) <= 1 else 1
        picks, fails, open_slots = [], [], []
        for dept, fields in slots:
            if dept == "":  # a visit without departments: nobody can be drawn
                fails.append([visit_id, dept, "no_department", need, 0])
                continue
            if not in_area(departments.get(dept), district, street):
                fails.append([visit_id, dept, "outside_area", need, 0])
                continue
            group = (dept, tuple(sorted(fields)))
            if group not in qualified_for:
                wanted = set(fields)
                qualified_for[group] = [i for i, q in by_dept.get(dept, []) if wanted <= q]
            qualified = qualified_for[group]
            eligible = qualified
            if uscc in recused_targets:
                eligible = [i for i in qualified if (i, uscc) not in recused]
            if len(qualified) < need:
                fails.append([visit_id, dept, "no_qualified", need, len(eligible)])
                continue
            if len(eligible) < need:
                fails.append([visit_id, dept, "recused", need, len(eligible)])
                continue
            cap = caps[dept]
            # the slot takes the first `need` of its order below the cap: it can only if at
            # least `need` of its eligible inspectors are below the cap, whatever the order
            if sum(1 for i in eligible if load.get(i, 0) < cap) < need:
                fails.append([visit_id, dept, "cap", need, len(eligible)])
                continue
            open_slots.append((dept, eligible, cap))
        if fails:  # nobody is taken: the open slots' orders do not matter
            unstaffed.extend(fails)
            continue
        for dept, eligible, cap in open_slots:
            ranked = ordered(seed, visit_id, eligible)
            got = []
            for rank, inspector_id in enumerate(ranked, 1):
                if load.get(inspector_id, 0) < cap:
                    got.append((dept, inspector_id, rank))
                    if len(got) == need:
                        break
            picks.extend(got)
        lead = min(picks, key=lambda p: (key(seed, visit_id, p[1]), p[1]))[1]
        for dept, inspector_id, rank in picks:
            load[inspector_id] = load.get(inspector_id, 0) + 1
            role = "lead" if inspector_id == lead else "member"
            assignments.append([visit_id, dept, inspector_id, rank, role])
    return assignments, unstaffed


def check(text, expected_sha256=None):
    """(ok, key, values) for a record's text: what verify() says, as a stable key of TEXT and
    its values, so that the Suicha app can say it in its reader's language."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if expected_sha256 and digest != expected_sha256.lower():
        return False, "record_sha256", {"got": digest, "want": expected_sha256}
    record = json.loads(text)
    if record.get("algorithm") != ALGORITHM:
        return False, "algorithm", {"got": repr(record.get("algorithm")), "want": ALGORITHM}
    assignments, unstaffed = recompute(record)
    for name, mine, theirs in (
        ("assignments", assignments, record["outcome"]["assignments"]),
        ("unstaffed", unstaffed, record["outcome"]["unstaffed"]),
    ):
        for n, (a, b) in enumerate(zip(mine, theirs, strict=False)):
            if a != b:
                return False, "row", {"table": name, "n": n + 1, "mine": str(a), "theirs": str(b)}
        if len(mine) != len(theirs):
            return False, "rows", {"table": name, "mine": len(mine), "theirs": len(theirs)}
    return True, "ok", {
        "algorithm": ALGORITHM, "year": record["year"], "visits": len(record["visits"]),
        "staffed": len({a[0] for a in assignments}), "assignments": len(assignments),
        "unstaffed": len({u[0] for u in unstaffed}), "sha": digest,
    }  # fmt: skip


def verify(text, expected_sha256=None):
    """(ok, message) for a record's text."""
    ok, key, values = check(text, expected_sha256)
    return ok, TEXT[key].format(**values)


TEXT = {
    "record_sha256": "record sha256 {got} differs from the expected {want}",
    "algorithm": "algorithm {got} is not {want}",
    "row": "{table} row {n}: recomputed {mine}, record says {theirs}",
    "rows": "{table}: recomputed {mine} rows, record has {theirs}",
    "ok": "OK {algorithm} campaign {year}: {visits} visits, {staffed} staffed with {assignments} "
    "assignments, {unstaffed} unstaffed; record sha256 {sha}",
}


def main(argv):
    args = list(argv)
    expected = None
    if "--sha256" in args:
        at = args.index("--sha256")
        if at + 1 >= len(args):
            print("usage: verify_assignment_standalone.py RECORD.json [--sha256 HEX]")
            return 2
        expected = args[at + 1]
        del args[at : at + 2]
    if len(args) != 1:
        print("usage: verify_assignment_standalone.py RECORD.json [--sha256 HEX]")
        return 2
    try:
        with open(args[0], encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"cannot read {args[0]}: {e.strerror}")
        return 2
    except UnicodeDecodeError:
        print(f"{args[0]}: not UTF-8 text, so not an assignment record")
        return 2
    try:
        ok, message = verify(text, expected)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
        print(f"{args[0]}: not a readable assignment record ({type(e).__name__}: {e})")
        return 2
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
