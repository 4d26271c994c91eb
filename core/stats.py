"""The statistics the analytics pages and the risk calibration report, in one place.

Why one module: a leader shown a discovery rate must be shown it the same way everywhere, with
the same interval and the same correction for a risk-targeted sample. Pure numpy/scipy; pages
only draw what these functions return.

- `wilson`: the 95 % Wilson score interval of a rate (sound at small n and near 0 or 1).
- `ht_share`: the population's share with a problem, estimated from a stratified sample by
  Horvitz-Thompson (each checked target stands for N_h / n_h targets of its stratum), with the
  stratified simple-random-sampling-without-replacement standard error (finite-population
  correction 1 - n_h / N_h). A risk-targeted draw over-samples risky strata, so its raw rate
  overstates the population's; this estimate does not.
- `ht_share_checks` / `lift_checks`: the same estimates from the checks themselves (one row per
  counted check: its stratum, target, plan and problem), with a standard error that holds when
  strata share targets: all items of a plan are checked on the same drawn targets, and a
  coordinated draw (one random number per target for every plan) selects overlapping samples
  across plans, so those checks are not independent observations (docs/statistics.md).
- `lift`: the raw rate of the targeted draw over the rate a uniform draw of the same size would
  give (the HT share), with a delta-method standard error from the same stratum proportions.
- `binomial_total_interval`: expected successes over strata of checks with known or estimated
  rates, with a 95 % interval (the simulator's expected discoveries).
- `rates_differ`: Pearson's chi-square test of whether groups' rates differ (scipy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, norm

Z95 = 1.959963984540054  # norm.ppf(0.975)


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95 % Wilson score interval for k successes in n trials; (0, 1) when n is 0."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def wilson_arrays(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """`wilson` over arrays (one interval per group, vectorised); (0, 1) where n is 0."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    safe = np.where(n > 0, n, 1.0)
    p = k / safe
    denom = 1 + z * z / safe
    centre = (p + z * z / (2 * safe)) / denom
    half = z * np.sqrt(p * (1 - p) / safe + z * z / (4 * safe * safe)) / denom
    lo = np.where(n > 0, np.maximum(0.0, centre - half), 0.0)
    hi = np.where(n > 0, np.minimum(1.0, centre + half), 1.0)
    return lo, hi


@dataclass(frozen=True)
class Estimate:
    """A population share estimated from a stratified sample."""

    share: float  # the HT estimate of the population's share with a problem
    se: float  # its standard error (stratified SRSWOR, finite-population correction)
    low: float  # share ± z * se, clipped to [0, 1]
    high: float
    population: int  # N: targets in the strata that carry checks
    sample: int  # n: counted checks
    strata: int  # strata with at least one counted check
    uncovered: int  # targets in strata without a single counted check (not estimated)


def _strata(N, n, k) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    N = np.asarray(N, dtype=float)
    n = np.asarray(n, dtype=float)
    k = np.asarray(k, dtype=float)
    if not (N.shape == n.shape == k.shape):
        raise ValueError("N, n and k need one value per stratum")
    if np.any(k < 0) or np.any(k > n) or np.any(n > N):
        raise ValueError("each stratum needs 0 <= k <= n <= N")
    return N, n, k, n > 0


def _stratum_variances(N, n, k, groups=None) -> np.ndarray:
    """Var(p_h) = (1 - n_h/N_h) s_h^2 / n_h with s_h^2 = n_h p_h (1 - p_h) / (n_h - 1) (the
    unbiased within-stratum variance of a 0/1 variable). A stratum of one check cannot estimate
    its own variance (a small quota often draws one): it borrows p (1 - p) of the pooled rate of
    its group (`groups`, one label per stratum, e.g. the tier; all strata if None) instead of
    counting as certain."""
    p = k / n
    labels = (
        np.zeros(len(n), dtype=int) if groups is None else np.unique(groups, return_inverse=True)[1]
    )
    pooled_k = np.bincount(labels, weights=k)
    pooled_n = np.bincount(labels, weights=n)
    pg = (pooled_k / np.where(pooled_n > 0, pooled_n, 1))[labels]
    s2 = np.where(n > 1, n * p * (1 - p) / np.maximum(n - 1, 1), pg * (1 - pg))
    return (1 - n / N) * s2 / n


def ht_share(N, n, k, z: float = Z95, groups=None) -> Estimate:
    """Horvitz-Thompson estimate of the population share from strata of size N_h, each with n_h
    counted checks (a simple random sample without replacement) of which k_h found a problem.

    share = sum_h (N_h / n_h) k_h / N, where N sums the strata that have checks; Var = sum_h
    (N_h / N)^2 (1 - n_h / N_h) s_h^2 / n_h. Strata without a check cannot be estimated: their
    size is reported as `uncovered`, not guessed. `groups`: see _stratum_variances."""
    N, n, k, has = _strata(N, n, k)
    pop = float(N[has].sum())
    if pop == 0:
        return Estimate(math.nan, math.nan, 0.0, 1.0, 0, 0, 0, int(N.sum()))
    Nh, nh, kh = N[has], n[has], k[has]
    share = float((Nh / nh * kh).sum() / pop)
    g = None if groups is None else np.asarray(groups)[has]
    var = float(((Nh / pop) ** 2 * _stratum_variances(Nh, nh, kh, g)).sum())
    se = math.sqrt(var)
    return Estimate(
        share=share,
        se=se,
        low=max(0.0, share - z * se),
        high=min(1.0, share + z * se),
        population=int(pop),
        sample=int(nh.sum()),
        strata=int(has.sum()),
        uncovered=int(N[~has].sum()),
    )


@dataclass(frozen=True)
class Lift:
    """How many times more problems the targeted draw finds than a uniform draw of its size."""

    lift: float
    se: float
    low: float
    high: float
    raw_rate: float  # problems / counted checks of the targeted draw
    uniform_rate: float  # the HT population share: what a uniform draw would find per check


def lift(N, n, k, z: float = Z95, groups=None) -> Lift:
    """Raw rate / HT share over the strata with checks. Both are linear in the stratum rates
    p_h (raw = sum a_h p_h with a_h = n_h / n; HT = sum b_h p_h with b_h = N_h / N), so the
    delta method gives Var(lift) = sum_h (a_h / B - A b_h / B^2)^2 Var(p_h)."""
    N, n, k, has = _strata(N, n, k)
    Nh, nh, kh = N[has], n[has], k[has]
    if nh.sum() == 0:
        return Lift(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
    p = kh / nh
    a = nh / nh.sum()
    b = Nh / Nh.sum()
    raw, uniform = float(a @ p), float(b @ p)
    if uniform == 0:
        return Lift(math.nan, math.nan, math.nan, math.nan, raw, uniform)
    grad = a / uniform - raw * b / uniform**2
    g = None if groups is None else np.asarray(groups)[has]
    se = math.sqrt(float((grad**2 * _stratum_variances(Nh, nh, kh, g)).sum()))
    ratio = raw / uniform
    return Lift(ratio, se, max(0.0, ratio - z * se), ratio + z * se, raw, uniform)


# ------------------------------------------------------------------------------------------
# The same estimates from the checks: strata that share targets (docs/statistics.md)
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checks:
    """Counted checks, one per (target, plan, item), each in one stratum (plan x item x tier).

    `population` holds N_h per stratum; per check: `stratum` (index into population), `unit`
    (the target), `design` (the plan whose draw selected the target: a plan's items are all
    checked on the same drawn targets), `y` (1 when a problem was found) and `coordination`
    (the random numbers the design drew with: designs sharing a label drew each target with the
    same number, as a coordinated draw does; None: every design drew independently)."""

    population: np.ndarray
    stratum: np.ndarray
    unit: np.ndarray
    design: np.ndarray
    y: np.ndarray
    coordination: np.ndarray

    @classmethod
    def of(cls, population, stratum, unit, design, y, coordination=None) -> Checks:
        N = np.asarray(population, dtype=float)
        h = np.asarray(stratum, dtype=np.int64)
        y = np.asarray(y, dtype=float)
        unit = np.asarray(unit)
        design = np.asarray(design)
        coordination = design if coordination is None else np.asarray(coordination)
        if not (len(h) == len(unit) == len(design) == len(y) == len(coordination)):
            raise ValueError("stratum, unit, design, y and coordination need one value per check")
        if len(h) and (h.min() < 0 or h.max() >= len(N)):
            raise ValueError("a check's stratum must index population")
        if np.any((y != 0) & (y != 1)):
            raise ValueError("y is 1 (problem) or 0 per check")
        return cls(N, h, unit, design, y, coordination)

    def counts(self) -> tuple[np.ndarray, np.ndarray]:
        """(n_h, k_h): counted checks and problems per stratum."""
        n = np.bincount(self.stratum, minlength=len(self.population)).astype(float)
        k = np.bincount(self.stratum, weights=self.y, minlength=len(self.population))
        return n, k


def linear_variance(checks: Checks, coef: np.ndarray, groups=None) -> float:
    """Estimated variance of sum_h coef_h p_h (p_h the stratum's rate) when strata share targets.

    Each check j of stratum h contributes r_j = coef_h (y_j - m_h) / n_h * sqrt(n_h / (n_h - 1)),
    with m_h the stratum's rate (a stratum of one check: its group's pooled rate, no factor).
    A target's contributions within one plan's draw add up (g_cp: the plan's items are checked on
    the same targets), and the draw is treated as selecting target c in plan p when its random
    number u_c < pi_cp = n_h / N_h (the quota's smallest u; fixed-size selection is what the
    centring on m_h accounts for). Targets are independent; two plans sharing c's random number
    select it together with probability min(pi_cp, pi_cq), independent plans with pi_cp pi_cq:

        Var = sum_c [ sum_p g_cp^2 (1 - pi_cp) + 2 sum_{p<q coordinated} g_cp g_cq (1 - max pi) ]

    For strata that share no target this is exactly the stratified SRSWOR variance with finite-
    population correction (sum_h coef_h^2 (1 - n_h/N_h) s_h^2 / n_h, `ht_share`)."""
    N = checks.population
    n, k = checks.counts()
    if not len(checks.y):
        return 0.0
    if groups is not None and len(groups) != len(N):
        raise ValueError("groups needs one label per stratum")
    labels = (
        np.zeros(len(N), dtype=int) if groups is None else np.unique(groups, return_inverse=True)[1]
    )
    pooled_k = np.bincount(labels, weights=k)
    pooled_n = np.bincount(labels, weights=n)
    pooled = (pooled_k / np.where(pooled_n > 0, pooled_n, 1))[labels]
    safe_n = np.where(n > 0, n, 1)
    centre = np.where(n > 1, k / safe_n, pooled)
    # s_h^2 from n_h checks around their own rate: n / (n - 1); one check around the group's
    # rate (a centre not taken from the stratum): N / (N - 1) turns E (y - m)^2 = (1 - 1/N) S^2
    # into S^2, so the finite-population correction is not applied twice
    factor = np.sqrt(
        np.where(n > 1, safe_n / np.maximum(n - 1, 1), np.where(N > 1, N / np.maximum(N - 1, 1), 1))
    )
    h = checks.stratum
    r = np.asarray(coef, dtype=float)[h] * (checks.y - centre[h]) / safe_n[h] * factor[h]
    pi = (n / np.where(N > 0, N, 1))[h]
    frame = pd.DataFrame({"unit": checks.unit, "design": checks.design,
                          "coord": checks.coordination, "r": r, "pi": pi})  # fmt: skip
    per = frame.groupby(["unit", "design"], sort=False).agg(
        g=("r", "sum"), pi=("pi", "mean"), coord=("coord", "first")
    )
    per = per.reset_index().sort_values(["unit", "coord", "pi"], kind="stable")
    g = per["g"].to_numpy()
    keep = 1.0 - np.minimum(per["pi"].to_numpy(), 1.0)
    diagonal = float((g * g * keep).sum())
    before = per.groupby(["unit", "coord"], sort=False)["g"].cumsum().to_numpy() - g
    cross = float((g * keep * before).sum())  # sorted by pi: max(pi_p, pi_q) is the later one's
    return max(diagonal + 2.0 * cross, 0.0)


def ht_share_checks(checks: Checks, z: float = Z95, groups=None) -> Estimate:
    """`ht_share` from the checks themselves, its standard error from `linear_variance` (the
    point estimate is the same: sum_h N_h p_h / N over the strata with checks)."""
    N = checks.population
    n, k = checks.counts()
    if np.any(n > N):
        raise ValueError("each stratum needs 0 <= k <= n <= N")
    has = n > 0
    pop = float(N[has].sum())
    if pop == 0:
        return Estimate(math.nan, math.nan, 0.0, 1.0, 0, 0, 0, int(N.sum()))
    rate = np.where(has, k / np.where(has, n, 1), 0.0)
    share = float((N * rate)[has].sum() / pop)
    coef = np.where(has, N / pop, 0.0)
    se = math.sqrt(linear_variance(checks, coef, groups))
    return Estimate(
        share=share, se=se, low=max(0.0, share - z * se), high=min(1.0, share + z * se),
        population=int(pop), sample=int(n.sum()), strata=int(has.sum()),
        uncovered=int(N[~has].sum()),
    )  # fmt: skip


def lift_checks(checks: Checks, z: float = Z95, groups=None) -> Lift:
    """`lift` from the checks, its delta-method standard error from `linear_variance`."""
    N = checks.population
    n, k = checks.counts()
    has = n > 0
    if not has.any():
        return Lift(math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)
    rate = np.where(has, k / np.where(has, n, 1), 0.0)
    a = n / n.sum()
    b = np.where(has, N, 0.0) / N[has].sum()
    raw, uniform = float(a @ rate), float(b @ rate)
    if uniform == 0:
        return Lift(math.nan, math.nan, math.nan, math.nan, raw, uniform)
    grad = a / uniform - raw * b / uniform**2
    se = math.sqrt(linear_variance(checks, grad, groups))
    ratio = raw / uniform
    return Lift(ratio, se, max(0.0, ratio - z * se), ratio + z * se, raw, uniform)


@dataclass(frozen=True)
class ChiSquare:
    """Pearson's chi-square test of independence of group and problem found."""

    statistic: float
    dof: int
    p_value: float
    groups: int  # groups with at least one check (the others are left out)


def rates_differ(k, n) -> ChiSquare:
    """Do the groups' rates differ? Chi-square over the groups x {problem, none} table (no
    continuity correction). Groups without checks are left out; fewer than two groups, or a
    column of zeros (no problem anywhere, or problems everywhere), gives NaN."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    keep = n > 0
    table = np.column_stack([k[keep], n[keep] - k[keep]])
    groups = int(keep.sum())
    if groups < 2 or np.any(table.sum(axis=0) == 0):
        return ChiSquare(math.nan, max(groups - 1, 0), math.nan, groups)
    stat, p_value, dof, _ = chi2_contingency(table, correction=False)
    return ChiSquare(float(stat), int(dof), float(p_value), groups)


def two_proportions(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of the pooled z-test that two rates are equal (this year vs last)."""
    if min(n1, n2) == 0:
        return math.nan
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return math.nan
    return float(2 * norm.sf(abs(k1 / n1 - k2 / n2) / se))


def binomial_total_interval(
    counts: np.ndarray,
    rates: np.ndarray,
    populations: np.ndarray | None = None,
    rate_se: np.ndarray | None = None,
    rate_group: np.ndarray | None = None,
    z: float = Z95,
) -> tuple[float, float, float, float]:
    """(expected, sd, lo, hi) of the number of successes among `counts` checks per stratum, each
    a success with probability `rates` (simulator: problems found by a scenario's inspections).

    Two sources of spread, added as variances: the draw itself (binomial, with the finite-
    population correction 1 - n/N when `populations` is given, since a stratum's sample is drawn
    without replacement), and the uncertainty of the rates when they are estimated (`rate_se`,
    shared by all strata of one `rate_group`: an error in a group's rate moves all its strata
    together, so its term is (sum of counts x se)^2 per group). Normal approximation; lo >= 0."""
    q = np.asarray(counts, dtype=np.float64)
    r = np.asarray(rates, dtype=np.float64)
    expected = float((q * r).sum())
    fpc = np.ones_like(q)
    if populations is not None:
        n = np.asarray(populations, dtype=np.float64)
        fpc = np.where(n > 1, (n - q) / np.maximum(n - 1, 1), 0.0)
    var = float((q * r * (1 - r) * fpc).sum())
    if rate_se is not None:
        se = np.asarray(rate_se, dtype=np.float64)
        group = (
            np.arange(q.size, dtype=np.int64)
            if rate_group is None
            else np.asarray(rate_group, dtype=np.int64)
        )
        per_group = np.bincount(group.ravel(), weights=(q * se).ravel())
        var += float((per_group**2).sum())
    sd = math.sqrt(max(var, 0.0))
    return expected, sd, max(0.0, expected - z * sd), expected + z * sd


def p_text(p: float) -> str:
    """A p-value as a leader reads it: 'p < 0.001' below that, else two significant digits."""
    if p != p:
        return "—"
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"
