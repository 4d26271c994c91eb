"""The batch u (core/sampling/prn_batch.py) against hashlib and against SQL's sha256: every
length that changes SHA-256's padding or block count, odd Arrow layouts, both cores, and two
threads hashing at once."""

from __future__ import annotations

import hashlib
import random
import threading

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from core.sampling import prn_batch
from core.sampling.prn import prn, u_sql


def u_ref(prefix: str, tail: str) -> float:
    digest = hashlib.sha256(f"{prefix}|{tail}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


# Codes around the one-block limit (a tail of 55 bytes after the seed's 64), multi-byte UTF-8,
# the empty code and codes of several blocks.
CODES = (
    ["91440300MA5DXXXX0" + str(i) for i in range(10)]
    + ["a" * n for n in (0, 1, 52, 53, 54, 55, 56, 63, 64, 118, 119, 120, 200)]
    + ["é" * 27, "é" * 28, "漢字" * 9, "漢字" * 10, "🙂" * 14, "🙂" * 15, "x|y", " "]
)
SEEDS = ["", "s", "a" * 55, "a" * 63, hashlib.sha256(b"x").hexdigest(), "b" * 65, "c" * 128,
         "d" * 130, "種子" * 40]  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS)
def test_codes_u_is_hashlibs_u_at_every_length(seed):
    got = prn_batch.codes_u(seed, pa.array(CODES))
    assert got.dtype == np.float64 and len(got) == len(CODES)
    want = [prn(seed, c) for c in CODES]
    assert [float(x) for x in got] == want  # the same doubles, bit for bit


def test_the_lanes_and_the_long_path_mixed_in_one_batch():
    """Long and short codes interleaved, more than one group of lanes, odd batch length."""
    rng = random.Random(7)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY漢é"
    codes = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 70))) for _ in range(1001)]
    seed = hashlib.sha256(b"mixed").hexdigest()
    got = prn_batch.codes_u(seed, pa.array(codes))
    assert [float(x) for x in got] == [prn(seed, c) for c in codes]
    assert sum(len(f"|{c}".encode()) > 55 for c in codes) > 50  # both paths were taken


def test_a_large_batch_on_both_cores_equals_sql():
    """Above the threading threshold: every u equals DuckDB's sha256 expression (u_sql)."""
    n = 3 * prn_batch._PARALLEL_FROM + 17
    codes = pa.array([f"91440300{i:010d}" for i in range(n)])
    seed = hashlib.sha256(b"big").hexdigest()
    assert len(prn_batch._slices(n)) == min(prn_batch.os.cpu_count() or 1, 8)
    got = prn_batch.codes_u(seed, codes)
    con = duckdb.connect()
    con.register("codes_in", pa.table({"i": pa.array(range(n)), "uscc": codes}))
    sql = f"SELECT {u_sql('$seed', 'uscc')} AS u FROM codes_in ORDER BY i"
    want = con.execute(sql, {"seed": seed}).fetchnumpy()["u"]
    assert np.array_equal(got, want)
    assert len(np.unique(got)) == n and 0.0 <= got.min() and got.max() < 1.0


def test_arrow_layouts_sliced_chunked_large_and_view():
    codes = [f"C{i:05d}" for i in range(300)]
    seed = "layout-seed"
    want = [prn(seed, c) for c in codes[100:250]]
    sliced = pa.array(codes).slice(100, 150)
    chunked = pa.chunked_array([pa.array(codes[100:170]), pa.array(codes[170:250])])
    large = pa.array(codes[100:250], pa.large_string())
    view = pa.array(codes[100:250], pa.string_view())
    for arr in (sliced, chunked, large, view):
        assert [float(x) for x in prn_batch.codes_u(seed, arr)] == want
    assert len(prn_batch.codes_u(seed, pa.array([], pa.string()))) == 0
    with pytest.raises(ValueError):
        prn_batch.codes_u(seed, pa.array(["a", None]))


def test_pairs_u_for_every_plan_of_every_members_cell():
    """Pairs come member by member, each member's plans in the cell's order; plan ids long
    enough to need a second block go the long way."""
    plans = ["P-A", "P-B", "P-" + "L" * 40, "P-" + "漢" * 20]
    codes = [f"91440300{i:010d}" for i in range(40)] + ["é" * 30]
    rng = np.random.default_rng(3)
    cell_plans_of = {0: [], 1: [0], 2: [1, 2, 3], 3: [3, 0]}
    member_cell = rng.integers(0, 4, len(codes))
    cell_start = np.cumsum([0] + [len(cell_plans_of[c]) for c in range(4)])
    cell_plans = np.array([p for c in range(4) for p in cell_plans_of[c]])
    seed = hashlib.sha256(b"pairs").hexdigest()
    u, plan, member = prn_batch.pairs_u(
        seed, pa.array(plans), pa.array(codes), member_cell, cell_start, cell_plans
    )
    want = [(p, m) for m, c in enumerate(member_cell) for p in cell_plans_of[int(c)]]
    assert list(zip(plan.tolist(), member.tolist(), strict=True)) == want
    assert [float(x) for x in u] == [u_ref(f"{seed}|{plans[p]}", codes[m]) for p, m in want]


def test_two_threads_hashing_at_once_each_get_their_own_answer():
    """Concurrent sessions: the kernels hold no shared state (no numba threading layer)."""
    n = prn_batch._PARALLEL_FROM * 2
    batches = {s: pa.array([f"{s}-{i}" for i in range(n)]) for s in ("one", "two", "three")}
    results: dict[str, np.ndarray] = {}

    def work(seed: str) -> None:
        results[seed] = prn_batch.codes_u(seed, batches[seed])

    threads = [threading.Thread(target=work, args=(s,)) for s in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seed, got in results.items():
        sample = range(0, n, 997)
        assert [float(got[i]) for i in sample] == [prn(seed, f"{seed}-{i}") for i in sample]
    assert len(results) == 3


WARM_UP_CHILD = """
import sys
import numpy as np, pyarrow as pa
import core.__main__, core.sampling, ui  # the CLI and the pages' imports
assert "numba" not in sys.modules, "numba is imported before any draw"
from core import sampling
sampling.warm_up()
from core.sampling import prn_batch as b
kernels = (b._kernel, b._expand, b._midstate)
loaded = [len(k.signatures) for k in kernels]
# a real draw's calls afterwards: no further compilation (the warm-up's types are the draw's)
b.codes_u("s" * 64, pa.chunked_array([pa.array(["91440300MA5D00001X", "é" * 60])]))
b.pairs_u("s" * 64, pa.array(["2026-S-0001", "2026-J-0002"]), pa.array(["A", "B", "C"]),
          np.array([0, 1, 0], np.int32), np.array([0, 1, 2]), np.array([1, 0]))
print(loaded, [len(k.signatures) for k in kernels])
"""


def test_numba_waits_for_the_first_draw_and_the_warm_up_loads_every_kernel():
    """The CLI and the pages import no numba (init's memory, start-up); sampling.warm_up (the
    Sampling page runs it in the background) leaves nothing for the first draw to compile."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", WARM_UP_CHILD], cwd=root, capture_output=True,
                         text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[0] == "[1, 1, 1] [1, 1, 1]"
