"""The ratio table that maximises expected discoveries under the campaign's constraints.

Decision variables: the 12 cells x[c, t] of the class x tier table, whole basis points. Plans
with a per-plan override keep their ratios (constant quotas).

Objective: sum over strata of rate x quota, the scenario's expected discoveries (the context's
per-stratum rates: last year's per tier, or the risk model's, core/simulate/discovery.py).

Constraints, each named so that a conflict or a binding constraint can be reported:
- `capacity:<dept>`: the department's inspector-visits before merging (each plan's drawn
  targets x the inspectors the department sends to them: two alone, one in a joint plan; an
  upper bound of the merged figure, linear in the quotas) <= the department's capacity.
  A department that no table obeying the class rules, the floors and rising tiers can keep
  within capacity (its least workload under those, by linear programming on the safe side,
  exceeds it) cannot be helped by ratios: it is listed in `unreachable` (it needs inspectors, a
  higher cap or fewer plans) and left out, unless the request is strict;
- `class_A_max`, `class_B_min`: the class rules of sampling.check_ratios (sum of the four tiers
  <= 4000 for A类事项, >= 4000 for B类事项);
- `min_ratio:<tier>`: every class's ratio for the tier >= the floor (randomness reaches every
  firm); never below 1 bp (sampling's tier_above_zero rule is not negotiable);
- `low_risk_cap`: inspections of low-risk firms (settings.LOW_RISK_TIERS) <= a cap, if asked;
- `inspections_max`: all inspections <= a budget, if asked ("as many inspections, more found");
- `tiers_rise:<class>:<t><t'>`: within a class, a riskier tier never gets a lower ratio than a
  safer one (on by default: A fewer, D sharply more, as the national guidance says).

Rounding, honestly. A quota is ceil(N x / 10000), so every stratum's quota lies in
[N x / 10000, N x / 10000 + 0.9999]. The solver (scipy.optimize.milp, integer x) works on the
safe side: constraints with the upper end (any table it returns satisfies them with the true
quotas), objective with the lower end. The table is then polished with the true quotas: each cell
is raised as far as every constraint still holds (binary search), until no cell can rise. The same
problem on the optimistic side (constraints with the lower end, objective with the upper end, x
continuous) bounds what any table could achieve: `upper_bound`, so the gap is stated, not hidden.
Every returned table is re-checked with the draw's quota rule (`constraint_values`).

Infeasible requests: a deletion filter (Chinneck) over the named constraints finds an
irreducible conflicting set: drop each in turn and keep it dropped if the rest still cannot hold;
what remains cannot hold together, and without any one of them it could. The filter runs on the
safe-side model (so it names what stops the optimiser; a table breaking a constraint by less than
the rounding slack is reported as infeasible too)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from core.simulate import settings
from core.simulate.capacity import plan_need
from core.simulate.quotas import BP, overridden, plan_ratios, quota
from core.simulate.scenario import Context
from core.vocab import ITEM_CLASSES, TIERS

CLASS_RULE_SUM = 4 * 1000  # mean 10 % over the four tiers
SLACK = (BP - 1) / BP  # ceil adds less than one inspection per stratum
N_X = len(ITEM_CLASSES) * len(TIERS)


@dataclass
class Request:
    """What the optimiser must respect."""

    min_ratio_bp: dict[str, int] = field(
        default_factory=lambda: {t: settings.DEFAULT_MIN_RATIO_BP for t in TIERS}
    )
    max_ratio_bp: int = BP
    capacity: bool = True
    low_risk_cap: int | None = None
    max_inspections: int | None = None
    tiers_rise: bool = True
    strict_capacity: bool = False  # keep departments no table can satisfy (then: infeasible)


@dataclass
class Result:
    feasible: bool
    table: pd.DataFrame | None
    objective: float | None  # expected discoveries of the table, with the draw's quotas
    upper_bound: float | None  # no table can exceed this (optimistic relaxation)
    binding: list[str]
    conflict: list[str]  # when infeasible: an irreducible set of named constraints
    status: str
    checks: dict[str, dict] = field(default_factory=dict)  # name -> lhs, lo, hi, ok
    unreachable: list[str] = field(default_factory=list)  # departments over capacity at floor


class Evaluator:
    """The constraints and objective of a request as fast array arithmetic on true quotas."""

    def __init__(self, ctx: Context, req: Request):
        frames = ctx.frames
        self.ctx, self.req = ctx, req
        n_tiers = len(TIERS)
        self.fixed = overridden(frames, ctx.overrides)
        ratios = plan_ratios(frames, ctx.table, ctx.overrides)
        self.fixed_ratios = np.where(self.fixed[:, None], ratios, 0)
        self.cls = frames.plans["item_class"].map({c: i for i, c in enumerate(ITEM_CLASSES)})
        self.cls = self.cls.to_numpy()
        self.rates = ctx.stratum_rates  # (P, 4): per tier, or per stratum from the risk model
        pdp = frames.plan_depts
        self.low = [TIERS.index(t) for t in settings.LOW_RISK_TIERS]
        self.n_tiers = n_tiers
        self.unreachable: list[str] = []
        self._departments(sorted(pdp["dept_code"].unique()) if req.capacity else [])

    def _departments(self, depts: list[str]) -> None:
        """The departments whose capacity is constrained; incidence weighted by plan_need."""
        frames, pdp = self.ctx.frames, self.ctx.frames.plan_depts
        self.depts = depts
        pos = {d: i for i, d in enumerate(depts)}
        keep = pdp["dept_code"].isin(pos).to_numpy()
        need = plan_need(pdp, frames.n_plans)
        plans = pdp["plan"].to_numpy()[keep]
        self.incidence = csr_matrix(
            (need[plans].astype(np.float64), (pdp["dept_code"][keep].map(pos).to_numpy(), plans)),
            shape=(len(depts), frames.n_plans),
        )  # fmt: skip
        cap = self.ctx.capacity.set_index("dept_code")["capacity"]
        self.cap = np.array([float(cap.get(d, 0)) for d in depts])

    def set_aside_unreachable(self) -> None:
        """Move departments no rule-abiding table can keep within capacity to `unreachable`."""
        _, _, named = self.linear(optimistic=False)
        rules = {n for n in named if n.startswith(("class_", "tiers_rise:"))}
        rules |= {f"min_ratio:{t}" for t in TIERS}
        lower, upper = self.bounds(rules)
        a_ub, b_ub = [], []
        for name in rules & set(named):
            row, const, lo, hi = named[name]
            if np.isfinite(hi):
                a_ub.append(row)
                b_ub.append(hi - const)
            if np.isfinite(lo):
                a_ub.append(-row)
                b_ub.append(const - lo)
        out = []
        for d in self.depts:
            row, const, _, hi = named[f"capacity:{d}"]
            res = linprog(row, A_ub=np.array(a_ub), b_ub=np.array(b_ub),
                          bounds=list(zip(lower, upper, strict=True)), method="highs")  # fmt: skip
            if res.status == 0 and res.fun + const > hi + 1e-9:
                out.append(d)
        self.unreachable = out
        self._departments([d for d in self.depts if d not in set(out)])

    def ratios(self, x: np.ndarray) -> np.ndarray:
        grid = np.asarray(x, dtype=np.int64).reshape(len(ITEM_CLASSES), self.n_tiers)
        return np.where(self.fixed[:, None], self.fixed_ratios, grid[self.cls])

    def quotas(self, x: np.ndarray) -> np.ndarray:
        return quota(self.ctx.frames.sizes, self.ratios(x))

    def objective(self, x: np.ndarray) -> float:
        return float((self.quotas(x) * self.rates).sum())

    def values(self, x: np.ndarray) -> dict[str, dict]:
        """Every named constraint on the table x with the draw's quotas."""
        q = self.quotas(x)
        grid = np.asarray(x, dtype=np.int64).reshape(len(ITEM_CLASSES), self.n_tiers)
        out: dict[str, dict] = {}
        if self.req.capacity:
            tasks = self.incidence @ q.sum(axis=1)
            for d, lhs, hi in zip(self.depts, tasks, self.cap, strict=True):
                out[f"capacity:{d}"] = {"lhs": float(lhs), "lo": -np.inf, "hi": hi}
        out["class_A_max"] = {"lhs": float(grid[0].sum()), "lo": -np.inf, "hi": CLASS_RULE_SUM}
        out["class_B_min"] = {"lhs": float(grid[1].sum()), "lo": CLASS_RULE_SUM, "hi": np.inf}
        for t, tier in enumerate(TIERS):
            floor = float(max(1, self.req.min_ratio_bp.get(tier, 1)))
            out[f"min_ratio:{tier}"] = {"lhs": float(grid[:, t].min()), "lo": floor, "hi": np.inf}
        out["max_ratio"] = {"lhs": float(grid.max()), "lo": -np.inf,
                            "hi": float(self.req.max_ratio_bp)}  # fmt: skip
        if self.req.low_risk_cap is not None:
            out["low_risk_cap"] = {"lhs": float(q[:, self.low].sum()), "lo": -np.inf,
                                   "hi": float(self.req.low_risk_cap)}  # fmt: skip
        if self.req.max_inspections is not None:
            out["inspections_max"] = {"lhs": float(q.sum()), "lo": -np.inf,
                                      "hi": float(self.req.max_inspections)}  # fmt: skip
        if self.req.tiers_rise:
            for ci, c in enumerate(ITEM_CLASSES):
                for t in range(self.n_tiers - 1):
                    name = f"tiers_rise:{c}:{TIERS[t]}{TIERS[t + 1]}"
                    out[name] = {"lhs": float(grid[ci, t] - grid[ci, t + 1]), "lo": -np.inf,
                                 "hi": 0.0}  # fmt: skip
        for v in out.values():
            v["ok"] = bool(v["lo"] - 1e-9 <= v["lhs"] <= v["hi"] + 1e-9)
        return out

    def ok(self, x: np.ndarray) -> bool:
        return all(v["ok"] for v in self.values(x).values())

    # --- the linear model over x ------------------------------------------------------------

    def linear(self, optimistic: bool) -> tuple[np.ndarray, float, dict]:
        """(objective coefficients to maximise, its constant, name -> (row, const, lo, hi)) with
        quotas at the safe or the optimistic end of [N x / BP, N x / BP + SLACK]."""
        frames = self.ctx.frames
        sizes = frames.sizes.astype(np.float64)
        var = (~self.fixed[:, None]) & (frames.sizes > 0)
        fixed_q = np.where(self.fixed[:, None], quota(frames.sizes, self.fixed_ratios), 0)
        cell = self.cls[:, None] * self.n_tiers + np.arange(self.n_tiers)[None, :]

        def per_cell(weights: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, float]:
            """Row over x of sum over strata in mask of weight * q, and its constant."""
            m = mask & var
            row = np.bincount(cell[m], weights=(weights * sizes / BP)[m], minlength=N_X)
            const = float((weights * np.where(m, 1.0, 0.0)).sum()) * SLACK
            fixed = float((weights * fixed_q * mask).sum())
            return row, fixed + (const if not optimistic else 0.0)

        w_rate = self.rates
        obj_row, _ = per_cell(w_rate, np.ones_like(var))
        obj_const = float((w_rate * fixed_q).sum())
        if optimistic:
            obj_const += float((w_rate * var).sum()) * SLACK
        named: dict[str, tuple[np.ndarray, float, float, float]] = {}
        if self.req.capacity:
            inc = self.incidence.toarray()
            for i, d in enumerate(self.depts):
                mask = np.broadcast_to(inc[i][:, None] > 0, sizes.shape)
                row, const = per_cell(np.broadcast_to(inc[i][:, None], sizes.shape), mask)
                named[f"capacity:{d}"] = (row, const, -np.inf, self.cap[i])
        n_t = self.n_tiers
        for ci, name, lo, hi in ((0, "class_A_max", -np.inf, CLASS_RULE_SUM),
                                 (1, "class_B_min", CLASS_RULE_SUM, np.inf)):  # fmt: skip
            row = np.zeros(N_X)
            row[ci * n_t : (ci + 1) * n_t] = 1.0
            named[name] = (row, 0.0, lo, hi)
        ones = np.ones(sizes.shape)
        if self.req.low_risk_cap is not None:
            mask = np.zeros(sizes.shape, dtype=bool)
            mask[:, self.low] = True
            row, const = per_cell(ones, mask)
            named["low_risk_cap"] = (row, const, -np.inf, float(self.req.low_risk_cap))
        if self.req.max_inspections is not None:
            row, const = per_cell(ones, np.ones(sizes.shape, dtype=bool))
            named["inspections_max"] = (row, const, -np.inf, float(self.req.max_inspections))
        if self.req.tiers_rise:
            for ci, c in enumerate(ITEM_CLASSES):
                for t in range(n_t - 1):
                    row = np.zeros(N_X)
                    row[ci * n_t + t], row[ci * n_t + t + 1] = 1.0, -1.0
                    named[f"tiers_rise:{c}:{TIERS[t]}{TIERS[t + 1]}"] = (row, 0.0, -np.inf, 0.0)
        return obj_row, obj_const, named

    def bounds(self, active: set[str]) -> tuple[np.ndarray, np.ndarray]:
        tier_of_x = np.tile(np.arange(self.n_tiers), len(ITEM_CLASSES))
        lower = np.ones(N_X)
        for t, tier in enumerate(TIERS):
            if f"min_ratio:{tier}" in active:
                lower[tier_of_x == t] = max(1, self.req.min_ratio_bp.get(tier, 1))
        return lower, np.full(N_X, float(self.req.max_ratio_bp))

    def names(self, named: dict) -> list[str]:
        floors = [f"min_ratio:{t}" for t in TIERS if self.req.min_ratio_bp.get(t, 1) > 1]
        return floors + list(named)


def _solve(ev: Evaluator, obj: np.ndarray, named: dict, active: set[str], integer: bool):
    lower, upper = ev.bounds(active)
    rows = [(r, c, lo, hi) for n, (r, c, lo, hi) in named.items() if n in active]
    if not integer:  # linprog: A_ub x <= b_ub (both sides folded in)
        a_ub, b_ub = [], []
        for r, c, lo, hi in rows:
            if np.isfinite(hi):
                a_ub.append(r)
                b_ub.append(hi - c)
            if np.isfinite(lo):
                a_ub.append(-r)
                b_ub.append(c - lo)
        return linprog(
            -obj, A_ub=np.array(a_ub) if a_ub else None, b_ub=np.array(b_ub) if b_ub else None,
            bounds=list(zip(lower, upper, strict=True)), method="highs",
        )  # fmt: skip
    cons = [LinearConstraint(r.reshape(1, -1), lo - c, hi - c) for r, c, lo, hi in rows]
    return milp(
        -obj, constraints=cons or None, integrality=np.ones(N_X), bounds=Bounds(lower, upper)
    )


def _conflict(ev: Evaluator, named: dict, names: list[str]) -> list[str]:
    """Deletion filter: an irreducible infeasible subset of `names` (safe-side model)."""
    keep = list(names)
    zero = np.zeros(N_X)
    for name in list(names):
        res = _solve(ev, zero, named, set(keep) - {name}, integer=True)
        if res.status == 2:  # infeasible without it too: not needed for the conflict
            keep.remove(name)
    return keep


def _polish(ev: Evaluator, x: np.ndarray) -> np.ndarray:
    """Raise each cell as far as the true-quota constraints allow, until none can rise; the most
    rewarding cells first."""
    x = x.astype(np.int64).copy()
    gain = np.array([ev.objective(np.eye(N_X, dtype=np.int64)[i] * 100 + 1) for i in range(N_X)])
    order = np.argsort(-gain, kind="stable")
    hi_bound = ev.req.max_ratio_bp
    for _ in range(8):
        moved = False
        for i in order:
            lo, hi = int(x[i]), hi_bound
            while lo < hi:  # largest feasible value of cell i, the others fixed
                mid = (lo + hi + 1) // 2
                trial = x.copy()
                trial[i] = mid
                if ev.ok(trial):
                    lo = mid
                else:
                    hi = mid - 1
            if lo > x[i]:
                x[i], moved = lo, True
        if not moved:
            break
    return x


def _binding(ev: Evaluator, x: np.ndarray) -> list[str]:
    """Constraints that stop some cell from rising one basis point, and floors at their bound."""
    base = ev.values(x)
    hit = {
        n for n, v in base.items()
        if n.startswith("min_ratio:") and v["lhs"] <= v["lo"] and v["lo"] > 1
    }  # fmt: skip
    for i in range(N_X):
        trial = x.copy()
        trial[i] += 1
        for name, v in ev.values(trial).items():
            if not v["ok"] and base[name]["ok"]:
                hit.add(name)
    return sorted(hit)


def table_of(x: np.ndarray) -> pd.DataFrame:
    grid = np.rint(np.asarray(x, dtype=np.float64)).astype(np.int64)
    return pd.DataFrame(grid.reshape(len(ITEM_CLASSES), len(TIERS)), index=list(ITEM_CLASSES),
                        columns=list(TIERS))  # fmt: skip


def as_vector(table: pd.DataFrame) -> np.ndarray:
    return table.reindex(index=list(ITEM_CLASSES), columns=list(TIERS)).to_numpy(np.int64).ravel()


def optimise(ctx: Context, req: Request | None = None) -> Result:
    """Solve; on infeasibility name an irreducible conflicting set of constraints."""
    req = req or Request()
    ev = Evaluator(ctx, req)
    if req.capacity and not req.strict_capacity:
        ev.set_aside_unreachable()
    obj, _, named = ev.linear(optimistic=False)
    names = ev.names(named)
    res = _solve(ev, obj, named, set(names), integer=True)
    if res.status == 2 or res.x is None:
        if res.status != 2:
            return Result(False, None, None, None, [], [], str(res.message),
                          unreachable=ev.unreachable)  # fmt: skip
        return Result(False, None, None, None, [], _conflict(ev, named, names), "infeasible",
                      unreachable=ev.unreachable)  # fmt: skip
    x = _polish(ev, np.rint(res.x).astype(np.int64))
    checks = ev.values(x)
    ok = all(v["ok"] for v in checks.values())
    obj_o, const_o, named_o = ev.linear(optimistic=True)
    relaxed = _solve(ev, obj_o, named_o, set(names), integer=False)
    bound = float(-relaxed.fun + const_o) if relaxed.status == 0 else None
    return Result(
        feasible=ok, table=table_of(x), objective=ev.objective(x), upper_bound=bound,
        binding=_binding(ev, x) if ok else [],
        conflict=[] if ok else sorted(k for k, v in checks.items() if not v["ok"]),
        status="optimal" if ok else "verification failed", checks=checks,
        unreachable=ev.unreachable,
    )  # fmt: skip
