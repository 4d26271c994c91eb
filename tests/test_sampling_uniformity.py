"""Within a stratum the draw is a simple random sample: over many seeds every member of the
frame is drawn equally often (chi-square goodness of fit; a fixed list of seeds, so the test is
deterministic)."""

from __future__ import annotations

from collections import Counter

import pytest
from scipy import stats

from core import sampling

PLAN = "2026-S-0060"  # a B-class plan whose tier-A frame holds 92 targets at scale 5,000
SEEDS = [f"uniformity-{i:03d}" for i in range(120)]


@pytest.mark.parametrize("mode", ["coordinated", "independent"])
def test_inclusion_frequencies_are_uniform_within_a_stratum(small_con, mode):
    sampling.save_plan_ratios(small_con, PLAN, {t: 2000 for t in "ABCD"}, "policy")
    counts: Counter[str] = Counter()
    frame_size = quota = None
    for beacon in SEEDS:
        draw = sampling.preview(small_con, 2026, plan_id=PLAN, secret="s", beacon=beacon,
                                mode=mode)  # fmt: skip
        stratum = draw.strata.set_index("tier").loc["A"]
        frame_size, quota = int(stratum.frame_size), int(stratum.quota)
        sel = draw.selections[draw.selections.tier == "A"]["uscc"].tolist()
        assert len(sel) == len(set(sel)) == quota
        counts.update(sel)
    assert frame_size == 92 and quota == 19  # ceil(92 * 0.2)
    # members never drawn count zero
    observed = list(counts.values()) + [0] * (frame_size - len(counts))
    expected = len(SEEDS) * quota / frame_size  # about 25 per member
    chi2, p = stats.chisquare(observed, [expected] * frame_size)
    assert sum(observed) == len(SEEDS) * quota
    assert p > 0.001, (chi2, p)
    # and the test has teeth: a biased draw (always the same 20) is rejected
    biased = [len(SEEDS)] * quota + [0] * (frame_size - quota)
    assert stats.chisquare(biased, [expected] * frame_size).pvalue < 1e-10
