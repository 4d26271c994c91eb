"""u for millions of codes at once: the draw's one hot loop (suicha-prn-sha256-v1, prn.py).

Every message a draw hashes starts with the campaign seed S, 64 hex digits: exactly one SHA-256
block. That block is compressed once (the midstate), so each code then costs one block instead
of two; and _LANES messages are compressed side by side, one per SIMD lane (numba compiles the
lane loops to AVX2). Together about eight times faster than SQL's sha256() on this project's
machine. No library offers a batch SHA-256 from a shared midstate over Arrow buffers, so the
compression function (FIPS 180-4 §6.2) is written out here; tests compare it with hashlib and
with SQL at every length that changes the padding, and the standalone verifiers re-derive every
u with hashlib.

The kernels release the GIL and each works on its own slice of the input, in a thread of a
pool: no numba threading layer, so concurrent sessions drawing at once are safe. Compiled code
is cached by numba beside this file (the first run after a checkout compiles, about 6 s)."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import pyarrow as pa

_K = np.array([
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
    0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
    0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
    0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
    0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
    0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
    0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
], dtype=np.uint32)  # fmt: skip
_H0 = np.array([0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19], dtype=np.uint32)  # fmt: skip
_PIPE = 0x7C  # "|"
_TWO_64 = 18446744073709551616.0
_LANES = 32  # messages compressed side by side (measured best between 8 and 128 on AVX2)
# Work below this many hashes runs in the calling thread (a thread pool costs more than it saves).
_PARALLEL_FROM = 50_000


@numba.njit(inline="always")
def _rotr(x, n):
    return np.uint32(((x >> np.uint32(n)) | (x << np.uint32(32 - n))) & np.uint32(0xFFFFFFFF))


@numba.njit(inline="always")
def _add(x, y):
    return np.uint32((x + y) & np.uint32(0xFFFFFFFF))


@numba.njit(inline="always")
def _compress(st, w, blk, at, k):
    """One SHA-256 block (blk[at:at+64]) into the state st."""
    for t in range(16):
        o = at + 4 * t
        w[t] = (np.uint32(blk[o]) << np.uint32(24)) | (np.uint32(blk[o + 1]) << np.uint32(16)) \
            | (np.uint32(blk[o + 2]) << np.uint32(8)) | np.uint32(blk[o + 3])  # fmt: skip
    for t in range(16, 64):
        x, y = w[t - 15], w[t - 2]
        s0 = _rotr(x, 7) ^ _rotr(x, 18) ^ (x >> np.uint32(3))
        s1 = _rotr(y, 17) ^ _rotr(y, 19) ^ (y >> np.uint32(10))
        w[t] = _add(_add(w[t - 16], s0), _add(w[t - 7], s1))
    a, b, c, d, e, f, g, h = st[0], st[1], st[2], st[3], st[4], st[5], st[6], st[7]
    for t in range(64):
        s1 = _rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)
        t1 = _add(_add(h, s1), _add(_add((e & f) ^ (~e & g), k[t]), w[t]))
        t2 = _add(_rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22), (a & b) ^ (a & c) ^ (b & c))
        h, g, f, e, d, c, b, a = g, f, e, _add(d, t1), c, b, a, _add(t1, t2)
    st[0], st[1], st[2], st[3] = _add(st[0], a), _add(st[1], b), _add(st[2], c), _add(st[3], d)
    st[4], st[5], st[6], st[7] = _add(st[4], e), _add(st[5], f), _add(st[6], g), _add(st[7], h)


@numba.njit(inline="always")
def _top64(mid, st, w, blk, n, total, k):
    """The first 8 bytes of sha256(prefix + blk[:n]) as an integer, where `mid` is the state
    after the prefix's whole blocks and `total` the message's length in bytes."""
    blk[n] = 0x80
    end = (n + 9 + 63) // 64 * 64
    for j in range(n + 1, end):
        blk[j] = 0
    bits = np.uint64(total) * np.uint64(8)
    for j in range(8):
        blk[end - 1 - j] = np.uint8((bits >> np.uint64(8 * j)) & np.uint64(0xFF))
    for j in range(8):
        st[j] = mid[j]
    for at in range(0, end, 64):
        _compress(st, w, blk, at, k)
    return (np.uint64(st[0]) << np.uint64(32)) | np.uint64(st[1])


@numba.njit(inline="always")
def _put(blk, n, data, lo, hi):
    for q in range(lo, hi):
        blk[n] = data[q]
        n += 1
    return n


@numba.njit(inline="always")
def _rotr_clean(x, n):
    """_rotr for an x just read from a uint32 array: its high bits are clean, so the mask can
    wait for the store (which is what lets the lane loops vectorise)."""
    return (x >> np.uint32(n)) | (x << np.uint32(32 - n))


@numba.njit(inline="always")
def _lane_round(a, b, c, d, e, f, g, h, kt, wt):
    """One round over every lane; the caller rotates the roles of a..h (no copies)."""
    for lane in range(_LANES):
        x, y, bl, cl = e[lane], a[lane], b[lane], c[lane]
        s1 = _rotr_clean(x, 6) ^ _rotr_clean(x, 11) ^ _rotr_clean(x, 25)
        t1 = h[lane] + s1 + ((x & f[lane]) ^ (~x & g[lane])) + kt + wt[lane]
        s0 = _rotr_clean(y, 2) ^ _rotr_clean(y, 13) ^ _rotr_clean(y, 22)
        t2 = s0 + ((y & bl) ^ (y & cl) ^ (bl & cl))
        d[lane] = np.uint32(d[lane] + t1)
        h[lane] = np.uint32(t1 + t2)


@numba.njit(inline="always")
def _lanes_compress(mid, blk, w, a, b, c, d, e, f, g, h, k):
    """SHA-256 of one padded block per lane (blk[lane, :64]) from the state `mid`, all lanes
    at once: the lane loops compile to SIMD instructions."""
    for t in range(16):
        o = 4 * t
        for lane in range(_LANES):
            b0, b1 = np.uint32(blk[lane, o]), np.uint32(blk[lane, o + 1])
            b2, b3 = np.uint32(blk[lane, o + 2]), np.uint32(blk[lane, o + 3])
            w[t, lane] = (b0 << np.uint32(24)) | (b1 << np.uint32(16)) | (b2 << np.uint32(8)) | b3
    for t in range(16, 64):
        for lane in range(_LANES):
            x, y = w[t - 15, lane], w[t - 2, lane]
            s0 = _rotr_clean(x, 7) ^ _rotr_clean(x, 18) ^ (x >> np.uint32(3))
            s1 = _rotr_clean(y, 17) ^ _rotr_clean(y, 19) ^ (y >> np.uint32(10))
            w[t, lane] = np.uint32(w[t - 16, lane] + s0 + w[t - 7, lane] + s1)
    a[:], b[:], c[:], d[:] = mid[0], mid[1], mid[2], mid[3]
    e[:], f[:], g[:], h[:] = mid[4], mid[5], mid[6], mid[7]
    for t in range(0, 64, 8):
        _lane_round(a, b, c, d, e, f, g, h, k[t], w[t])
        _lane_round(h, a, b, c, d, e, f, g, k[t + 1], w[t + 1])
        _lane_round(g, h, a, b, c, d, e, f, k[t + 2], w[t + 2])
        _lane_round(f, g, h, a, b, c, d, e, k[t + 3], w[t + 3])
        _lane_round(e, f, g, h, a, b, c, d, k[t + 4], w[t + 4])
        _lane_round(d, e, f, g, h, a, b, c, k[t + 5], w[t + 5])
        _lane_round(c, d, e, f, g, h, a, b, k[t + 6], w[t + 6])
        _lane_round(b, c, d, e, f, g, h, a, k[t + 7], w[t + 7])


@numba.njit(inline="always")
def _tail(buf, n0, adata, aoffs, ai, bdata, boffs, bi):
    """Write [A[ai] "|"] B[bi] after the n0 bytes already in buf; return the new length."""
    n = n0
    if ai >= 0:
        n = _put(buf, n, adata, aoffs[ai], aoffs[ai + 1])
        buf[n] = _PIPE
        n += 1
    return _put(buf, n, bdata, boffs[bi], boffs[bi + 1])


@numba.njit(nogil=True, cache=True)
def _kernel(mid, rem, whole, adata, aoffs, a_idx, bdata, boffs, b_idx, lo, hi, width, k, out):
    """out[i] = top64(sha256(prefix + "|" + [A[a_idx[i]] + "|"] + B[b_idx[i]])) for i in
    [lo, hi) (no A part where a_idx is empty). Tails that fit one block (55 bytes, every code
    and plan id of the registry's formats) go through the lanes; longer ones one by one."""
    w = np.empty((64, _LANES), np.uint32)
    a, b, c, d = (np.empty(_LANES, np.uint32), np.empty(_LANES, np.uint32),
                  np.empty(_LANES, np.uint32), np.empty(_LANES, np.uint32))  # fmt: skip
    e, f, g, h = (np.empty(_LANES, np.uint32), np.empty(_LANES, np.uint32),
                  np.empty(_LANES, np.uint32), np.empty(_LANES, np.uint32))  # fmt: skip
    blk = np.zeros((_LANES, 64), np.uint8)
    used = np.zeros(_LANES, np.int64)  # bytes of each lane's block the last message wrote
    lane_ok = np.zeros(_LANES, np.bool_)
    big, st, w1 = np.empty(width, np.uint8), np.empty(8, np.uint32), np.empty(64, np.uint32)
    n0 = _put(big, 0, rem, 0, len(rem))
    big[n0] = _PIPE
    n0 += 1
    for lane in range(_LANES):  # every message starts with the prefix's last bytes and "|"
        for q in range(n0):
            blk[lane, q] = big[q]
    has_a = len(a_idx) > 0
    i = lo
    while i < hi:
        m = min(_LANES, hi - i)
        for lane in range(m):
            bi = b_idx[i + lane]
            b0, b1 = boffs[bi], boffs[bi + 1]
            a0 = a1 = 0
            if has_a:
                ai = a_idx[i + lane]
                a0, a1 = aoffs[ai], aoffs[ai + 1]
            n = n0 + (a1 - a0 + 1 if has_a else 0) + (b1 - b0)
            lane_ok[lane] = n <= 55
            if n > 55:
                n = _tail(big, n0, adata, aoffs, ai if has_a else -1, bdata, boffs, bi)
                out[i + lane] = _top64(mid, st, w1, big, n, whole + n, k)
                continue
            p = n0
            if has_a:
                for q in range(a0, a1):
                    blk[lane, p] = adata[q]
                    p += 1
                blk[lane, p] = _PIPE
                p += 1
            for q in range(b0, b1):
                blk[lane, p] = bdata[q]
                p += 1
            blk[lane, n] = 0x80
            for q in range(n + 1, used[lane]):  # what the previous, longer message left
                blk[lane, q] = 0
            used[lane] = n + 1
            bits = np.uint64(whole + n) * np.uint64(8)
            for q in range(8):
                blk[lane, 63 - q] = np.uint8((bits >> np.uint64(8 * q)) & np.uint64(0xFF))
        _lanes_compress(mid, blk, w, a, b, c, d, e, f, g, h, k)
        for lane in range(m):
            if lane_ok[lane]:
                hi32 = np.uint64(np.uint32(a[lane] + mid[0]))
                out[i + lane] = (hi32 << np.uint64(32)) | np.uint64(np.uint32(b[lane] + mid[1]))
        i += m


@numba.njit(nogil=True, cache=True)
def _expand(member_cell, cell_start, cell_plans, pair_start, plan_of, member_of):
    """The (plan, member) pairs, member by member, each member's plans in cell_plans order."""
    for i in range(len(member_cell)):
        at = pair_start[i]
        cell = member_cell[i]
        for j in range(cell_start[cell], cell_start[cell + 1]):
            plan_of[at] = cell_plans[j]
            member_of[at] = i
            at += 1


@numba.njit(nogil=True, cache=True)
def _midstate(prefix, k):
    st = _H0.copy()
    w = np.empty(64, np.uint32)
    for at in range(0, len(prefix) // 64 * 64, 64):
        _compress(st, w, prefix, at, k)
    return st


def _buffers(strings: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, int]:
    """UTF-8 bytes, int64 offsets and the longest value of a string column."""
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if strings.null_count:
        raise ValueError("codes and plan ids are never null")
    if not pa.types.is_large_string(strings.type):
        strings = strings.cast(pa.large_string())
    n = len(strings)
    first = strings.offset
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int64)[first : first + n + 1]
    data = strings.buffers()[2]
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    longest = int(np.diff(offsets).max()) if n else 0
    return data, offsets, longest


def _prefix_state(prefix: str) -> tuple[np.ndarray, np.ndarray, int]:
    raw = np.frombuffer(prefix.encode("utf-8"), dtype=np.uint8)
    whole = len(raw) // 64 * 64
    return _midstate(raw, _K), raw[whole:].copy(), whole


def _width(*lengths: int) -> int:
    """A block buffer that holds the longest tail and its padding."""
    return (sum(lengths) + 2 + 9 + 63) // 64 * 64


def _slices(n: int) -> list[tuple[int, int]]:
    """Split [0, n) into one contiguous slice per core."""
    parts = max(1, min(os.cpu_count() or 1, 8))
    if parts == 1 or n < _PARALLEL_FROM:
        return [(0, n)]
    bounds = [n * j // parts for j in range(parts + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _run(kernel, slices: list[tuple[int, int]], head: tuple, tail: tuple) -> None:
    """kernel(*head, lo, hi, *tail) for every slice, the slices in threads."""
    if len(slices) == 1:
        kernel(*head, *slices[0], *tail)
        return
    with ThreadPoolExecutor(max_workers=len(slices)) as pool:
        for f in [pool.submit(kernel, *head, lo, hi, *tail) for lo, hi in slices]:
            f.result()


def to_u(top64: np.ndarray) -> np.ndarray:
    """u = top64 / 2**64 as a double: a correctly rounded conversion, then an exact division by
    a power of two (Python's int / int, and the SQL u_sql, give the same double)."""
    return top64.astype(np.float64) / _TWO_64


def codes_u(prn_seed: str, codes: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """u(c) = sha256(f"{prn_seed}|{c}")[:8] / 2**64 for every code, in order (float64)."""
    mid, rem, whole = _prefix_state(prn_seed)
    data, offsets, longest = _buffers(codes)
    n = len(offsets) - 1
    out = np.empty(n, np.uint64)
    none = np.zeros(0, np.int64)
    head = (mid, rem, whole, np.zeros(0, np.uint8), np.zeros(1, np.int64), none, data, offsets,
            np.arange(n, dtype=np.int64))  # fmt: skip
    _run(_kernel, _slices(n), head, (_width(len(rem), longest), _K, out))
    return to_u(out)


def pairs_u(
    seed: str, plan_ids: pa.Array | pa.ChunkedArray, codes: pa.Array | pa.ChunkedArray,
    member_cell: np.ndarray, cell_start: np.ndarray, cell_plans: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Independent mode's u of every (plan, member) pair: sha256(f"{seed}|{plan}|{code}").

    Member i lies in cell member_cell[i]; the plans admitting cell c are
    cell_plans[cell_start[c]:cell_start[c + 1]] (indices into plan_ids). Returns (u, plan index,
    member index) per pair, member by member in that plan order."""
    mid, rem, whole = _prefix_state(seed)
    pdata, poffs, plong = _buffers(plan_ids)
    cdata, coffs, clong = _buffers(codes)
    member_cell = np.ascontiguousarray(member_cell, dtype=np.int64)
    cell_start = np.ascontiguousarray(cell_start, dtype=np.int64)
    cell_plans = np.ascontiguousarray(cell_plans, dtype=np.int64)
    per_member = (cell_start[1:] - cell_start[:-1])[member_cell]
    pair_start = np.zeros(len(member_cell) + 1, np.int64)
    np.cumsum(per_member, out=pair_start[1:])
    n = int(pair_start[-1])
    plan_of, member_of = np.empty(n, np.int64), np.empty(n, np.int64)
    _expand(member_cell, cell_start, cell_plans, pair_start, plan_of, member_of)
    out = np.empty(n, np.uint64)
    head = (mid, rem, whole, pdata, poffs, plan_of, cdata, coffs, member_of)
    _run(_kernel, _slices(n), head, (_width(len(rem), plong, clong), _K, out))
    return to_u(out), plan_of, member_of


def warm_up() -> None:
    """Compile or load every kernel a draw calls (hashing one code and one pair)."""
    one = np.zeros(1, np.int64)
    pairs_u("0" * 64, pa.array(["P"]), pa.array(["C"]), one, np.array([0, 1]), one)
    codes_u("0" * 64, pa.array(["C"]))
