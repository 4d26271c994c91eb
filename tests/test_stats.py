"""core/stats.py: hand-computed values on small cases, and Horvitz-Thompson's unbiasedness in a
simulation of many seeded stratified draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core import risk_calibration, stats


def test_wilson_equals_the_hand_computed_interval():
    # 3 of 10: p = 0.3, z^2 = 3.8414588; centre = (0.3 + z^2/20) / (1 + z^2/10) = 0.355506,
    # half = z sqrt(0.021 + z^2/400) / (1 + z^2/10) = 0.247715 (textbook: 0.1078 to 0.6032)
    lo, hi = stats.wilson(3, 10)
    assert lo == pytest.approx(0.107791, abs=1e-6)
    assert hi == pytest.approx(0.603222, abs=1e-6)
    assert stats.wilson(0, 0) == (0.0, 1.0)
    assert stats.wilson(0, 5)[0] == 0.0 and stats.wilson(5, 5)[1] == 1.0
    lo_a, hi_a = stats.wilson_arrays([3, 0, 1955], [10, 0, 10_000])
    assert lo_a.tolist() == pytest.approx([0.107791, 0.0, 0.187845], abs=1e-5)
    assert hi_a.tolist() == pytest.approx([0.603222, 1.0, 0.203389], abs=1e-5)


def test_risk_calibration_uses_the_one_wilson():
    assert risk_calibration.wilson is stats.wilson


def test_horvitz_thompson_equals_the_hand_computed_estimate():
    # strata N = (100, 20), checks n = (10, 5), problems k = (1, 3)
    # share = (100/10 * 1 + 20/5 * 3) / 120 = 22/120
    # Var(p1) = (1 - 10/100) * [10 * .1 * .9 / 9] / 10 = 0.009
    # Var(p2) = (1 - 5/20) * [5 * .6 * .4 / 4] / 5 = 0.045
    # Var = (100/120)^2 * 0.009 + (20/120)^2 * 0.045 = 0.00625 + 0.00125 = 0.0075
    est = stats.ht_share([100, 20], [10, 5], [1, 3])
    assert est.share == pytest.approx(22 / 120)
    assert est.se == pytest.approx(math.sqrt(0.0075))
    assert est.low == pytest.approx(22 / 120 - stats.Z95 * math.sqrt(0.0075))
    assert (est.population, est.sample, est.strata, est.uncovered) == (120, 15, 2, 0)
    # a stratum without checks is not estimated, and says how many targets it holds
    est = stats.ht_share([100, 20, 7], [10, 5, 0], [1, 3, 0])
    assert est.share == pytest.approx(22 / 120) and est.uncovered == 7
    # a census stratum (n = N) contributes no variance
    assert stats.ht_share([10], [10], [4]).se == 0.0
    with pytest.raises(ValueError):
        stats.ht_share([10], [11], [1])


def test_lift_equals_the_hand_computed_ratio():
    # raw = 4/15, uniform (HT) = 11/60, lift = 16/11
    # a = (2/3, 1/3), b = (5/6, 1/6); grad_h = a_h / U - R b_h / U^2
    # grad = (40/11 - 800/121, 20/11 - 160/121) = (-360/121, 60/121)
    # Var = (360/121)^2 * 0.009 + (60/121)^2 * 0.045
    result = stats.lift([100, 20], [10, 5], [1, 3])
    assert result.raw_rate == pytest.approx(4 / 15)
    assert result.uniform_rate == pytest.approx(11 / 60)
    assert result.lift == pytest.approx(16 / 11)
    var = (360 / 121) ** 2 * 0.009 + (60 / 121) ** 2 * 0.045
    assert result.se == pytest.approx(math.sqrt(var))
    # a proportional (uniform) sample has lift exactly 1
    assert stats.lift([100, 50], [10, 5], [2, 3]).lift == pytest.approx(1.0)


def test_chi_square_equals_the_hand_computed_statistic():
    # [[10, 90], [30, 70]]: expected [[20, 80], [20, 80]];
    # chi2 = 2 * (10^2 / 20) + 2 * (10^2 / 80) = 12.5 on 1 degree of freedom
    test = stats.rates_differ([10, 30, 0], [100, 100, 0])
    assert test.statistic == pytest.approx(12.5)
    assert test.dof == 1 and test.groups == 2
    assert test.p_value == pytest.approx(0.000406952, rel=1e-4)
    assert math.isnan(stats.rates_differ([0, 0], [10, 10]).statistic)
    assert math.isnan(stats.rates_differ([3], [10]).p_value)


def test_two_proportions():
    # pooled .2, se = sqrt(.16 * (2/100)) = .056569; z = .2/.056569 = 3.5355
    assert stats.two_proportions(10, 100, 30, 100) == pytest.approx(0.000407, rel=1e-2)
    assert math.isnan(stats.two_proportions(1, 0, 1, 2))


def _simulate(estimator, draws: int = 4000, seed: int = 15):
    """Repeat a stratified SRSWOR draw over a fixed population: three strata with known shares,
    over-sampling the risky ones as the tiered ratios do."""
    sizes = np.array([500, 200, 50])
    problems = np.array([25, 40, 25])  # truth: 90 / 750 = 0.12
    quota = np.array([10, 20, 25])
    population = [np.arange(N) < P for N, P in zip(sizes, problems, strict=True)]
    rng = np.random.default_rng(seed)
    out = np.empty((draws, 2))
    for r in range(draws):
        k = [int(pop[rng.choice(N, q, replace=False)].sum())
             for pop, N, q in zip(population, sizes, quota, strict=True)]  # fmt: skip
        out[r] = estimator(sizes, quota, np.array(k))
    return out, problems.sum() / sizes.sum()


def _ht(N, n, k):
    est = stats.ht_share(N, n, k)
    return est.share, est.se**2


def test_horvitz_thompson_is_unbiased_over_many_seeded_draws():
    sims, truth = _simulate(_ht)
    mean = sims[:, 0].mean()
    se_of_mean = sims[:, 0].std(ddof=1) / math.sqrt(len(sims))
    assert abs(mean - truth) < 3 * se_of_mean
    # the variance formula is unbiased too: its mean matches the estimates' spread
    assert sims[:, 1].mean() == pytest.approx(sims[:, 0].var(ddof=1), rel=0.1)


def test_the_raw_rate_of_a_targeted_draw_fails_the_same_check():
    """The simulation can fail: the raw rate of the same draws is far from the truth."""
    sims, truth = _simulate(lambda N, n, k: (k.sum() / n.sum(), 0.0), draws=500)
    se_of_mean = sims[:, 0].std(ddof=1) / math.sqrt(len(sims))
    assert abs(sims[:, 0].mean() - truth) > 3 * se_of_mean


def test_checks_estimate_equals_ht_share_when_strata_share_no_target():
    # the hand-computed case above, as checks: stratum 0 has 10 checks (1 problem), stratum 1
    # five (3 problems), every check on its own target and plan
    y = [1] + [0] * 9 + [1, 1, 1, 0, 0]
    checks = stats.Checks.of([100, 20], [0] * 10 + [1] * 5, [f"t{i}" for i in range(15)],
                             ["P"] * 10 + ["Q"] * 5, y)  # fmt: skip
    est = stats.ht_share_checks(checks)
    assert est.share == pytest.approx(22 / 120)
    assert est.se == pytest.approx(math.sqrt(0.0075))
    assert (est.population, est.sample, est.strata, est.uncovered) == (120, 15, 2, 0)
    lift = stats.lift_checks(checks)
    assert lift.lift == pytest.approx(16 / 11)
    assert lift.se == pytest.approx(stats.lift([100, 20], [10, 5], [1, 3]).se)


def test_a_target_in_two_coordinated_plans_counts_once():
    # P: N = 10, targets a (problem), b; Q: N = 20, targets a (problem), c, d, e; N = 30.
    # r = coef (y - p_h) / n_h * sqrt(n_h / (n_h - 1)): P: +-sqrt(2)/12; Q: a sqrt(4/3)/8,
    # others -sqrt(4/3)/24; pi = 0.2 in both. Diagonal: 0.8 * (4/144 + 4/3 * 12/576) = 2/45
    # (the independent strata's variance: (1/3)^2 * .2 + (2/3)^2 * .05). Coordinated plans
    # select a together: 2 * g_Pa g_Qa (1 - max(pi)) = 2 * sqrt(2)/12 * sqrt(4/3)/8 * 0.8.
    args = ([10, 20], [0, 0, 1, 1, 1, 1], list("abacde"), list("PPQQQQ"), [1, 0, 1, 0, 0, 0])
    independent = stats.ht_share_checks(stats.Checks.of(*args))
    assert independent.share == pytest.approx((10 * 0.5 + 20 * 0.25) / 30)
    assert independent.se**2 == pytest.approx(2 / 45)
    assert independent.se == pytest.approx(stats.ht_share([10, 20], [2, 4], [1, 1]).se)
    coordinated = stats.ht_share_checks(stats.Checks.of(*args, coordination=["S"] * 6))
    cross = 2 * math.sqrt(2) / 12 * math.sqrt(4 / 3) / 8 * 0.8
    assert coordinated.se**2 == pytest.approx(2 / 45 + cross)
    assert coordinated.share == independent.share


def test_items_of_one_plan_are_checked_on_the_same_targets():
    # one plan, two items, the same two targets (a problem on both items, b none): strata
    # (P, i1) and (P, i2) of N = 10 each. r = (10/20)(+-0.5)/2 * sqrt(2) per check; a target's
    # two checks add: g = +-sqrt(2)/4; Var = 2 * (2/16) * 0.8 = 0.2, twice what independent
    # strata would say ((1/2)^2 * 0.2 * 2 = 0.1)
    checks = stats.Checks.of([10, 10], [0, 0, 1, 1], list("abab"), ["P"] * 4, [1, 0, 1, 0])
    assert stats.ht_share_checks(checks).se ** 2 == pytest.approx(0.2)
    assert stats.ht_share([10, 10], [2, 2], [1, 1]).se ** 2 == pytest.approx(0.1)


def test_one_check_stratum_is_centred_on_its_group_once_corrected():
    # stratum 1 (N = 4) has one check: centred on its group's pooled rate (1 of 3 -> 1/3),
    # scaled by N/(N-1) so that (1 - 1/N) applies once: (N_h/N)^2 (y - 1/3)^2 = (4/14)^2 (4/9)
    checks = stats.Checks.of(
        [10, 4],
        [0, 0, 1],
        list("abc"),
        list("PPQ"),
        [0, 0, 1],
    )
    est = stats.ht_share_checks(checks, groups=["A", "A"])
    assert est.se**2 == pytest.approx((4 / 14) ** 2 * (2 / 3) ** 2)
    with pytest.raises(ValueError):
        stats.Checks.of([10], [0, 1], list("ab"), list("PP"), [0, 1])
