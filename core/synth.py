"""Synthetic 一单两库 calibrated to Shenzhen (DOMAIN.md), deterministic for a seed.

The scale changes only the number of targets: departments, items, inspectors and plans keep
their real counts at every scale. Targets are generated in fixed-size chunks with numpy and
written through Arrow, so 6.43 million of them build in well under a minute on two cores.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import ndtri

from core import codes, synth_history, synth_schedule, target_lookup, users
from core import reference_data as ref
from core.db import Connection, set_meta
from core.vocab import TZ
from core.writes import unit_of_work

SCALES = {"demo": 200_000, "full": 6_430_000}
N_CITY_DEPTS = 39
N_DISTRICT_DEPTS = 139
N_ITEMS = 3_654
N_MS_ITEMS = 1_295
N_INSPECTORS = 8_452
N_SINGLE_PLANS = 558
N_JOINT_PLANS = 200
CHUNK = 500_000
DEFAULT_SEED = 2022
CAMPAIGN_YEAR = 2026
DIRECTORY_DATE = date(2026, 1, 1)  # the directory as of the campaign's start

Progress = Callable[[float, str], None]


MAX_SCALE = 50_000_000  # about 12 GB to build; a larger directory is not a synthetic demo


def parse_scale(scale: str | int) -> int:
    """'demo' -> 200,000; 'full' -> 6,430,000; a number (underscores allowed) -> itself."""
    if isinstance(scale, int):
        n = scale
    elif str(scale).lower() in SCALES:
        n = SCALES[str(scale).lower()]
    else:
        try:
            n = int(str(scale).replace("_", ""))
        except ValueError:
            msg = f"scale must be demo, full or a number of targets, not {scale!r}"
            raise ValueError(msg) from None
    if n < 1_000:
        raise ValueError(f"scale must be at least 1,000 targets, not {n}")
    if n > MAX_SCALE:
        raise ValueError(f"scale must be at most {MAX_SCALE:,} targets, not {n:,}")
    return n


def _largest_remainder(weights: np.ndarray, total: int) -> np.ndarray:
    """Integer counts proportional to `weights` that add up to exactly `total`."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    out = np.floor(raw).astype(int)
    order = np.argsort(-(raw - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    return out


# --------------------------------------------------------------------------------------------
# Reference tables and departments
# --------------------------------------------------------------------------------------------


def _street_weights(rng: np.random.Generator) -> list[tuple[str, str, str, float]]:
    """(street_code, district name, street name, share of all targets): district shares from
    DOMAIN.md, streets within a district varied but fixed by the seed."""
    total = sum(d[4] for d in ref.DISTRICTS)
    rows = []
    for slug, dname, _en, _div, w in ref.DISTRICTS:
        streets = ref.STREETS[dname]
        within = rng.dirichlet(np.full(len(streets), 6.0))
        for i, (s, share) in enumerate(zip(streets, within, strict=True), start=1):
            rows.append((f"{slug}-{i:02d}", dname, f"{s}街道", w / total * share))
    return rows


@dataclass
class Dept:
    code: str
    name: str
    level: str
    district: str | None
    street: str | None
    field: str


def build_departments() -> list[Dept]:
    depts = [
        Dept(codes.make_dept_code(ref.CITY_DIVISION, "city", i), name, "city", None, None, fld)
        for i, (name, fld) in enumerate(ref.CITY_DEPARTMENTS, start=1)
    ]
    for slug, dname, _en, division, _w in ref.DISTRICTS:
        short = dname.removesuffix("区").removesuffix("新")
        seq0 = 50 if slug == "dapeng" else 0  # 大鹏 shares 440307 with 龙岗
        seq = seq0
        for template, fld in ref.DISTRICT_DEPARTMENTS:
            if (dname, fld) in ref.DISTRICT_DEPT_SKIPPED:
                continue
            seq += 1
            name = template.format(d=short, D=dname)
            depts.append(
                Dept(
                    codes.make_dept_code(division, "district", seq),
                    name,
                    "district",
                    dname,
                    None,
                    fld,
                )
            )
    div_of = {d[1]: d[3] for d in ref.DISTRICTS}
    for i, (dname, street, name) in enumerate(ref.STREET_DEPARTMENTS, start=1):
        depts.append(
            Dept(
                codes.make_dept_code(div_of[dname], "street", i),
                name,
                "street",
                dname,
                street,
                ref.STREET_FIELD,
            )
        )
    return depts


# --------------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------------


@dataclass
class Item:
    code: str
    dept: str
    name: str
    item_class: str
    content: str
    legal_basis: str
    subject: str  # label of the target kinds
    method: str
    level: str
    field: str
    ratio_bp: int
    frequency: int
    topic: str = ""  # the subject inspected, used to group items into plans
    industries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()


KIND_LABEL = {k[0]: k[1] for k in ref.KINDS}


def _topics_for(dept: Dept) -> list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], str]]:
    """Candidate (name, content, law, industries, kinds, qualification) for a department."""
    out = []
    if dept.field == "市场监管":
        for subject, qual, law, inds, kinds in ref.MS_SUBJECTS:
            for stage in ref.MS_STAGES:
                for aspect in ref.MS_ASPECTS:
                    out.append((subject, stage, aspect, law, inds, kinds, qual))
    else:
        stages = ["", "(网络渠道)", "(重点时段)", "(专项)"]
        for subject, law, inds, kinds in ref.OTHER_SUBJECTS[dept.field]:
            for stage in stages:
                for aspect in ref.OTHER_ASPECTS:
                    out.append((subject, stage, aspect, law, inds, kinds, dept.field))
    return out


def build_items(depts: list[Dept], rng: np.random.Generator) -> list[Item]:
    ms_city = depts[0]
    street_depts = [d for d in depts if d.level == "street"]
    others = [d for d in depts if d is not ms_city and d.level != "street"]
    weights = np.array(
        [6.0 if d.field == "市场监管" else (3.0 if d.level == "city" else 1.0) for d in others]
    )
    rest = N_ITEMS - N_MS_ITEMS - ref.PILOT_STREET_ITEMS * len(street_depts)
    counts = dict(zip([d.code for d in others], _largest_remainder(weights, rest), strict=True))
    counts[ms_city.code] = N_MS_ITEMS
    for d in street_depts:
        counts[d.code] = ref.PILOT_STREET_ITEMS

    items: list[Item] = []
    for dept in depts:
        n = counts[dept.code]
        topics = _topics_for(dept)
        order = rng.permutation(len(topics))
        if dept.level == "street":
            class_p = [0.45, 0.15, 0.40]
        elif dept.field == "市场监管":
            class_p = [0.55, 0.35, 0.10]
        else:
            class_p = [0.50, 0.30, 0.20]
        classes = rng.choice(codes.ITEM_CLASSES, size=n, p=class_p)
        seq = {c: 0 for c in codes.ITEM_CLASSES}
        for j in range(n):
            subject, stage, aspect, law, inds, kinds, qual = topics[order[j % len(topics)]]
            cls = str(classes[j])
            seq[cls] += 1
            suffix = "" if j < len(topics) else f"(第{j // len(topics) + 1}批)"
            if cls == "A":
                ratio = int(rng.integers(1, 19)) * 50
            elif cls == "B":
                ratio = int(rng.integers(20, 61)) * 50
            else:
                ratio = int(rng.integers(6, 31)) * 50
            items.append(
                Item(
                    code=codes.make_item_code(dept.code, cls, seq[cls]),
                    dept=dept.code,
                    name=f"对{subject}{stage}的{aspect}检查{suffix}",
                    item_class=cls,
                    content=f"检查{subject}{stage}{aspect}是否符合{law}及相关规定",
                    legal_basis=law,
                    subject="、".join(KIND_LABEL[k] for k in kinds),
                    method="offsite" if rng.random() < 0.2 else "onsite",
                    level=dept.level,
                    field=qual,
                    ratio_bp=ratio,
                    frequency=2 if cls == "B" and rng.random() < 0.3 else 1,
                    topic=subject,
                    industries=inds,
                    kinds=kinds,
                )
            )
    assert len(items) == N_ITEMS, len(items)
    return items


# --------------------------------------------------------------------------------------------
# Inspectors
# --------------------------------------------------------------------------------------------

MS_QUALIFICATIONS = sorted({s[1] for s in ref.MS_SUBJECTS})


def _person_names(rng: np.random.Generator, n: int) -> list[str]:
    sur = rng.integers(0, len(ref.SURNAMES), n)
    g1 = rng.integers(0, len(ref.GIVEN_NAME_CHARS), n)
    g2 = rng.integers(0, len(ref.GIVEN_NAME_CHARS), n)
    two = rng.random(n) < 0.7
    return [
        ref.SURNAMES[s] + ref.GIVEN_NAME_CHARS[a] + (ref.GIVEN_NAME_CHARS[b] if t else "")
        for s, a, b, t in zip(sur, g1, g2, two, strict=True)
    ]


def build_inspectors(depts: list[Dept], rng: np.random.Generator) -> list[tuple]:
    district_w = {d[1]: d[4] for d in ref.DISTRICTS}
    total_w = sum(district_w.values())
    street_depts = [d for d in depts if d.level == "street"]
    others = [d for d in depts if d.level != "street"]
    weights = []
    for d in others:
        if d.field == "市场监管":
            weights.append(
                700.0 if d.level == "city" else 2600.0 * district_w[d.district] / total_w
            )
        else:
            weights.append(60.0 if d.level == "city" else 22.0)
    n_rest = N_INSPECTORS - ref.PILOT_STREET_INSPECTORS * len(street_depts)
    counts = list(_largest_remainder(np.array(weights), n_rest))
    counts += [ref.PILOT_STREET_INSPECTORS] * len(street_depts)
    districts = [d[1] for d in ref.DISTRICTS]
    dist_p = np.array([district_w[d] for d in districts], dtype=float)
    dist_p /= dist_p.sum()
    rows = []
    names = _person_names(rng, N_INSPECTORS)
    k = 0
    for dept, n in zip(others + street_depts, counts, strict=True):
        for i in range(1, n + 1):
            if dept.field == "市场监管":
                q = rng.choice(MS_QUALIFICATIONS, size=int(rng.integers(1, 4)), replace=False)
                quals = sorted(str(x) for x in q)
            else:
                quals = [dept.field]
            district = dept.district or str(rng.choice(districts, p=dist_p))
            rows.append(
                (
                    f"{dept.code}{i:04d}",
                    names[k],
                    dept.code,
                    district,
                    dept.street,
                    quals,
                    bool(rng.random() < 0.97),
                    bool(rng.random() < 0.96),
                )
            )
            k += 1
    assert len(rows) == N_INSPECTORS
    return rows


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------


@dataclass
class Plan:
    plan_id: str
    name: str
    kind: str
    item_class: str
    lead: Dept
    level: str
    kinds: list[str]
    industries: list[str]
    districts: list[str] | None
    streets: list[str] | None
    start: date
    end: date
    items: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


def pick_classes(rng: np.random.Generator, divisions: tuple[str, ...]) -> list[str]:
    """One or two industry classes from a subject's divisions: a plan's sub-directory."""
    pool = [c for c in industry_classes() if c[3] in divisions]
    w = np.array([c[5] for c in pool]) ** 0.5
    take = min(len(pool), 1 if rng.random() < 0.75 else 2)
    idx = rng.choice(len(pool), size=take, replace=False, p=w / w.sum())
    return sorted(pool[i][0] for i in idx)


def _period(rng: np.random.Generator, year: int) -> tuple[date, date]:
    start_month = int(rng.integers(2, 11))
    months = int(rng.integers(2, 6))
    start = date(year, start_month, 1)
    end_month = start_month + months
    end = date(year, 12, 31) if end_month > 12 else date(year, end_month, 1) - timedelta(days=1)
    return start, end


def _frame_area(
    dept: Dept, rng: np.random.Generator, streets_of: dict[str, list[str]]
) -> tuple[list[str] | None, list[str] | None]:
    if dept.level == "street":
        return [dept.district], [dept.street]
    if dept.level == "district":
        if rng.random() < 0.3:
            ss = streets_of[dept.district]
            pick = rng.choice(ss, size=min(len(ss), int(rng.integers(1, 4))), replace=False)
            return [dept.district], sorted(str(s) for s in pick)
        return [dept.district], None
    if rng.random() < 0.75:  # most city plans are run district by district
        ds = [d[1] for d in ref.DISTRICTS]
        pick = rng.choice(ds, size=int(rng.integers(1, 3)), replace=False)
        return sorted(str(x) for x in pick), None
    return None, None


def build_plans(
    depts: list[Dept], items: list[Item], rng: np.random.Generator, year: int
) -> list[Plan]:
    by_dept: dict[str, list[Item]] = {}
    for it in items:
        by_dept.setdefault(it.dept, []).append(it)
    streets_of = {d: [f"{s}街道" for s in ss] for d, ss in ref.STREETS.items()}
    dept_by_code = {d.code: d for d in depts}
    codes_ = [d.code for d in depts]
    p_items = np.array([len(by_dept[c]) for c in codes_], dtype=float) ** 0.8
    p_items /= p_items.sum()

    def topic_items(dept: Dept, classes: tuple[str, ...]) -> list[Item] | None:
        pool = [it for it in by_dept[dept.code] if it.item_class in classes]
        if not pool:
            return None
        topic = pool[int(rng.integers(0, len(pool)))].topic
        same = [it for it in pool if it.topic == topic]
        take = min(len(same), int(rng.integers(1, 5)))
        return [same[i] for i in rng.choice(len(same), size=take, replace=False)]

    plans: list[Plan] = []
    n = 0
    while n < N_SINGLE_PLANS:
        dept = dept_by_code[codes_[int(rng.choice(len(codes_), p=p_items))]]
        cls = "A" if rng.random() < 0.65 else "B"
        chosen = topic_items(dept, (cls,))
        if chosen is None:
            continue
        n += 1
        lead_item = chosen[0]
        districts, streets = _frame_area(dept, rng, streets_of)
        inds = pick_classes(rng, lead_item.industries)
        start, end = _period(rng, year)
        where = f"({'、'.join(districts)})" if districts and dept.level == "city" else ""
        plans.append(
            Plan(
                plan_id=f"{year}-S-{n:04d}",
                name=f"{year}年{dept.name}{lead_item.topic}双随机抽查计划{where}",
                kind="single",
                item_class=cls,
                lead=dept,
                level=dept.level,
                kinds=list(lead_item.kinds),
                industries=inds,
                districts=districts,
                streets=streets,
                start=start,
                end=end,
                items=sorted({it.code for it in chosen}),
            )
        )

    joint_leads = [d for d in depts if d.level != "street"]
    p_lead = np.array([len(by_dept[d.code]) for d in joint_leads], dtype=float) ** 0.8
    p_lead /= p_lead.sum()
    n = 0
    while n < N_JOINT_PLANS:
        lead = joint_leads[int(rng.choice(len(joint_leads), p=p_lead))]
        chosen = topic_items(lead, ("C",))
        if chosen is None:
            continue
        if lead.level == "district":
            peers = [
                d
                for d in depts
                if d.district == lead.district and d.code != lead.code and d.field != lead.field
            ]
        else:
            peers = [d for d in depts if d.level == "city" and d.code != lead.code]
        # most joint plans join two departments, a few three or four (calibrates round 1)
        n_members = int(rng.choice([1, 2, 3], p=[0.7, 0.25, 0.05]))
        members = [peers[i] for i in rng.choice(len(peers), size=n_members, replace=False)]
        member_items = []
        for m in members:
            got = topic_items(m, ("C",)) or topic_items(m, ("A", "B"))
            if got:
                member_items.extend(got[:2])
        n += 1
        lead_item = chosen[0]
        districts, streets = _frame_area(lead, rng, streets_of)
        start, end = _period(rng, year)
        industries = pick_classes(rng, lead_item.industries)
        # Merge issue: joint plans run district by district on one industry class (no extra random
        # draws, so every other plan is unchanged); this puts the independent-mode merge savings
        # near Shenzhen's 22.62 % (core/merge.py).
        if lead.level == "city":
            districts = districts[:1] if districts else [ref.DISTRICTS[n % len(ref.DISTRICTS)][1]]
        industries = industries[:1]
        area = f"({districts[0]})"
        plans.append(
            Plan(
                plan_id=f"{year}-J-{n:04d}",
                name=f"{year}年{lead_item.topic}跨部门联合抽查计划{area}",
                kind="joint",
                item_class="C",
                lead=lead,
                level=lead.level,
                kinds=list(lead_item.kinds),
                industries=industries,
                districts=districts,
                streets=streets,
                start=start,
                end=end,
                items=sorted({it.code for it in chosen + member_items}),
                members=sorted({m.code for m in members}),
            )
        )
    return plans


# --------------------------------------------------------------------------------------------
# Targets
# --------------------------------------------------------------------------------------------


@dataclass
class TargetModel:
    """Distributions every chunk samples from, derived once from the reference data."""

    kinds: list[str]
    kind_p: np.ndarray
    kind_auth: np.ndarray  # USCC values of registration authority and category per kind
    kind_cat: np.ndarray
    industries: list[str]
    industry_p: dict[str, np.ndarray]  # kind -> probabilities over `industries`
    street_names: np.ndarray
    street_district: np.ndarray
    street_division: np.ndarray  # per street: 6 digit values
    street_p: np.ndarray
    district_names: np.ndarray


@cache
def industry_classes() -> list[tuple[str, str, str, str, str, float]]:
    """(class, name, English name, division, division name, share of enterprises) for every
    class: the division's share split over its classes by their weights."""
    rows = []
    for div, name, name_en, share in ref.INDUSTRIES:
        classes = ref.classes_of(div, name)
        total = sum(w for _, _, w in classes)
        for code, cname, w in classes:
            rows.append((code, cname, f"{name_en} ({code})", div, name, share * w / total))
    return rows


def target_model(street_rows: list[tuple[str, str, str, float]]) -> TargetModel:
    kinds = [k[0] for k in ref.KINDS]
    kind_p = np.array([k[3] for k in ref.KINDS])
    classes = industry_classes()
    industries = [c[0] for c in classes]
    base = np.array([c[5] for c in classes])
    within = {}
    for c in classes:
        within.setdefault(c[3], []).append(c[5])
    within_share = np.array([c[5] / sum(within[c[3]]) for c in classes])
    industry_p = {}
    for k in kinds:
        if k in ref.KIND_INDUSTRIES:
            w = np.array([ref.KIND_INDUSTRIES[k].get(c[3], 0.0) for c in classes]) * within_share
        else:
            w = base
        industry_p[k] = w / w.sum()
    div_of = {d[1]: d[3] for d in ref.DISTRICTS}
    districts = [r[1] for r in street_rows]
    return TargetModel(
        kinds=kinds,
        kind_p=kind_p / kind_p.sum(),
        kind_auth=np.array([codes.USCC_VALUE[k[4]] for k in ref.KINDS]),
        kind_cat=np.array([codes.USCC_VALUE[k[5]] for k in ref.KINDS]),
        industries=industries,
        industry_p=industry_p,
        street_names=np.array([r[2] for r in street_rows]),
        street_district=np.array(districts),
        street_division=np.array([[int(c) for c in div_of[d]] for d in districts]),
        street_p=np.array([r[3] for r in street_rows]) / sum(r[3] for r in street_rows),
        district_names=np.array(sorted(set(districts))),
    )


def _latent_flag(rng, z, prevalence: float, rho: float) -> np.ndarray:
    """A yes/no factor with the given prevalence, correlated `rho` with the latent risk z."""
    e = rng.standard_normal(z.size, dtype=np.float32)
    return (rho * z + math.sqrt(1 - rho * rho) * e) > ndtri(1 - prevalence)


def _poisson(rng, z, mean: float, beta: float, cap: int = 30000) -> np.ndarray:
    lam = mean * np.exp(beta * z - beta * beta / 2)  # E[exp(bz)] = exp(b^2/2): keeps the mean
    return np.minimum(rng.poisson(lam), cap).astype(np.int16)


def _pick(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """Vectorised categorical draw."""
    return np.minimum(np.searchsorted(np.cumsum(p), rng.random(n)), p.size - 1)


def _text(values) -> pa.Array:
    return pa.array(values, type=pa.string())


def _take(words, index: np.ndarray) -> pa.Array:
    """Text column from a small word list and integer indices (Arrow copies the words; no
    per-row Python or numpy text)."""
    return pa.array(list(words), type=pa.string()).take(np.asarray(index, dtype=np.int64))


def old_org_digits(ids: np.ndarray) -> np.ndarray:
    """The last seven characters of an old-style organisation code, one per id and never the same
    for two ids: the id's decimal digits below 10^7 (like the real 8-digit codes), and above that
    a letter (values 10-30) then six base-31 digits, which no all-digit code can equal. Ids below
    10^7 keep the codes they always had; 18.6 billion ids fit."""
    ids = np.asarray(ids, dtype=np.int64)
    out = ids[:, None] // (10 ** np.arange(6, -1, -1)) % 10
    big = ids >= 10**7
    if big.any():
        j = ids[big] - 10**7
        if int(j.max()) >= 21 * 31**6:
            raise ValueError("too many targets for old-style organisation codes")
        out[big, 0] = 10 + j // 31**6
        out[big, 1:] = codes.base31_digits(j % 31**6, 6)
    return out


def target_chunk(model: TargetModel, seed: int, chunk_no: int, ids: np.ndarray) -> pa.Table:
    """Targets for one chunk; `ids` are unique integers that become organisation codes."""
    rng = np.random.default_rng([seed, 7, chunk_no])
    n = ids.size
    kind = _pick(rng, model.kind_p, n)
    street = _pick(rng, model.street_p, n)
    z = rng.standard_normal(n, dtype=np.float32)  # latent risk: factors co-occur through it

    industry = np.empty(n, dtype=np.int64)
    for ki, k in enumerate(model.kinds):
        mask = kind == ki
        industry[mask] = _pick(rng, model.industry_p[k], int(mask.sum()))

    # Registration dates: Shenzhen's stock grew ~12 % a year; individual businesses are younger.
    start = np.datetime64("1985-01-01")
    span = (np.datetime64(DIRECTORY_DATE) - start).astype(int)
    growth = np.where(kind == 1, 0.22, 0.12)
    u = rng.random(n)
    frac = np.log1p(u * np.expm1(growth * span / 365.25)) / (growth * span / 365.25)
    registered = start + (frac * (span - 1)).astype("timedelta64[D]")
    new_style = registered >= np.datetime64("2015-10-01")
    age_years = (np.datetime64(DIRECTORY_DATE) - registered).astype(int) / 365.25

    # USCC: authority, category, division, organisation code, check character.
    vals = np.empty((n, 17), dtype=np.int64)
    vals[:, 0] = model.kind_auth[kind]
    vals[:, 1] = model.kind_cat[kind]
    vals[:, 2:8] = model.street_division[street]
    city_reg = (kind == 0) & (rng.random(n) < 0.08)
    vals[city_reg, 2:8] = [int(c) for c in ref.CITY_DIVISION]
    org_new = codes.base31_digits(ids, 6)
    vals[:, 8:11] = [codes.USCC_VALUE["M"], codes.USCC_VALUE["A"], 5]
    vals[:, 11:17] = org_new
    old = ~new_style
    old_prefix = np.array([[1, 9], [2, 7], [5, 5], [6, 6], [6, 9], [7, 2], [7, 6], [7, 9]])
    vals[old, 8:10] = old_prefix[rng.integers(0, len(old_prefix), int(old.sum()))]
    vals[old, 10:17] = old_org_digits(ids[old])
    uscc = pa.array(codes.uscc_array(vals), type=pa.binary(18)).cast(pa.string())

    status_p = np.array([s[3] for s in ref.STATUSES])
    status_p_hi = status_p * np.array([0.6, 3.0, 1.5, 1.5])
    risky = z > 1.0
    status = np.where(
        risky, _pick(rng, status_p_hi / status_p_hi.sum(), n), _pick(rng, status_p, n)
    )

    entity = kind <= 4
    company = kind == 0
    abnormal = _latent_flag(rng, z, 0.08, 0.6) & entity
    overdue = _latent_flag(rng, z, 0.10, 0.5) & entity
    capital = np.where(
        company,
        np.exp(rng.normal(4.6, 1.5, n)),
        np.where(entity, np.exp(rng.normal(1.5, 1.0, n)), 0.0),
    )
    paid_in = np.where(
        company & (rng.random(n) > 0.4),
        np.clip(rng.beta(2, 3, n) - 0.08 * z, 0, 1),
        0.0,
    ).astype(np.float32)
    firms_at = np.minimum(
        np.floor(np.exp(rng.normal(0.4 + 0.35 * z, 1.2))).astype(np.int64) + 1, 3000
    )
    has_related = company & (rng.random(n) < 0.6)

    def related(a: float, b: float, beta: float) -> np.ndarray:
        r = np.clip(rng.beta(a, b, n) * np.exp(beta * z), 0, 1)
        return np.where(has_related, r, 0.0).astype(np.float32)

    names = target_names(model, rng, kind, industry, street)
    cols = {
        "uscc": uscc,
        "name": names,
        "kind": _take(model.kinds, kind),
        "industry": _take(model.industries, industry),
        "district": _take(model.street_district, street),
        "street": _take(model.street_names, street),
        "registered_on": pa.array(registered.astype("datetime64[D]"), type=pa.date32()),
        "status": _take([s[0] for s in ref.STATUSES], status),
        "registered_capital": np.round(capital, 2),
        "branches": np.where(company, rng.poisson(0.05 * (1 + capital / 1000)), 0)
        .clip(0, 500)
        .astype(np.int16),
        "legal_rep_changes": np.where(entity, _poisson(rng, z, 0.15, 0.5), 0).astype(np.int16),
        "name_changes": np.where(entity, _poisson(rng, z, 0.05, 0.4), 0).astype(np.int16),
        "address_changes": np.where(entity, _poisson(rng, z, 0.20, 0.4), 0).astype(np.int16),
        "scope_changes": np.where(entity, _poisson(rng, z, 0.25, 0.2), 0).astype(np.int16),
        "paid_in_ratio": paid_in,
        "tax_arrears": _latent_flag(rng, z, 0.03, 0.5) & entity,
        "social_security_arrears": _latent_flag(rng, z, 0.04, 0.45) & company,
        "equity_pledges": np.where(company, _poisson(rng, z, 0.02, 0.4), 0).astype(np.int16),
        "firms_at_address": np.where(entity, firms_at, 1).astype(np.int32),
        "abnormal_list": abnormal,
        "serious_violation": _latent_flag(rng, z, 0.008, 0.7) & entity,
        "judgment_defaulter": _latent_flag(rng, z, 0.02, 0.5) & entity,
        "penalties_3y": _poisson(rng, z, 0.05, 0.8),
        "past_findings": _poisson(rng, z, 0.06, 0.7),
        "annual_report_overdue": overdue,
        "licence_revoked": (status == 1) | ((kind == 7) & _latent_flag(rng, z, 0.01, 0.5)),
        "related_revoked_rate": related(1, 25, 0.3),
        "related_abnormal_rate": related(1, 12, 0.3),
        "related_penalty_rate": related(1, 30, 0.3),
        "complaints_12m": _poisson(rng, z, 0.12, 0.6),
        "negative_media": _latent_flag(rng, z, 0.005, 0.4),
        "red_list": _latent_flag(rng, z, 0.015, -0.4) & entity,
        "yellow_list": _latent_flag(rng, z, 0.02, 0.5) & entity,
        "black_list": _latent_flag(rng, z, 0.004, 0.7) & entity,
    }
    del age_years
    return pa.table(cols)


def _words_by_industry(
    model: TargetModel, table: dict[str, list[str] | str], fallback: list[str]
) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """One flat Arrow list of the words `table` gives each industry's division (or `fallback`),
    with each industry's first position and count in it: a row's word is then one integer
    index, taken by Arrow, instead of a text mask per division."""
    flat: list[str] = []
    start: dict[str, int] = {}
    for division in sorted({c[:2] for c in model.industries}):
        words = table.get(division, fallback)
        start[division] = len(flat)
        flat.extend([words] if isinstance(words, str) else words)
    first = np.array([start[c[:2]] for c in model.industries], dtype=np.int64)
    count = np.array(
        [
            len(w) if isinstance(w := table.get(c[:2], fallback), list) else 1
            for c in model.industries
        ],
        dtype=np.int64,
    )
    return pa.array(flat, type=pa.string()), first, count


def target_names(model: TargetModel, rng, kind, industry, street) -> pa.Array:
    """Plausible Chinese names: 深圳市+字号+行业词+有限公司, 区+字号+店 and so on.

    Every piece is a small word list taken by integer index (Arrow `take`), and each kind's
    pieces are joined over that kind's rows; the random draws are the same, in the same order,
    as the per-division text masks this replaced, so the names are identical."""
    n = kind.size
    chars = pa.array(list(ref.TRADE_NAME_CHARS), type=pa.string())
    trade = pc.binary_join_element_wise(
        chars.take(rng.integers(0, len(chars), n)),
        chars.take(rng.integers(0, len(chars), n)),
        "",
    )

    def word_for(table: dict[str, list[str] | str], fallback: list[str]) -> pa.Array:
        pick = rng.integers(0, 1 << 30, n)
        flat, first, count = _words_by_industry(model, table, fallback)
        return flat.take(first[industry] + pick % count[industry])

    district = _take(model.street_district, street)
    company_suffix = pa.array(["有限公司", "股份有限公司"], type=pa.string()).take(
        (rng.random(n) < 0.04).astype(np.int64)
    )
    parts = {
        0: [
            "深圳市",
            trade,
            word_for(ref.INDUSTRY_WORDS, ["实业", "科技", "发展"]),
            company_suffix,
        ],
        1: ["深圳市", district, trade, word_for(ref.INDIVIDUAL_SHOPS, ["经营部", "商店"])],
        2: ["深圳市", trade, "农业专业合作社"],
        3: ["深圳市", trade, word_for({}, ["协会", "促进会", "商会"])],
        4: ["深圳市", district, trade, word_for({}, ["服务中心", "研究所", "管理所"])],
        5: [
            trade,
            word_for(ref.SITE_WORDS, ["经营场所"]),
            "(",
            _take(model.street_names, street),
            ")",
        ],
        6: [trade, word_for(ref.PRODUCT_WORDS, ["牌产品"])],
        7: [trade, word_for(ref.LICENCE_WORDS, ["经营许可证"])],
    }
    # Join each kind's pieces over its rows, then put the rows back in their order.
    order = np.argsort(kind, kind="stable")
    joined = []
    for k, pieces in parts.items():
        idx = pa.array(
            order[np.searchsorted(kind[order], k) : np.searchsorted(kind[order], k, "right")]
        )
        if len(idx):
            arrays = [p if isinstance(p, str) else p.take(idx) for p in pieces]
            joined.append(pc.binary_join_element_wise(*arrays, ""))
    back = np.empty(n, dtype=np.int64)
    back[order] = np.arange(n)
    return pa.concat_arrays(joined).take(back)


# --------------------------------------------------------------------------------------------
# Writing it all
# --------------------------------------------------------------------------------------------


@dataclass
class BuildSummary:
    scale: int
    seed: int
    departments: int
    street_units: int
    items: int
    targets: int
    inspectors: int
    plans: int
    single_plans: int
    joint_plans: int
    seconds: float


def _noop(_f: float, _m: str) -> None:
    return None


def insert_rows(con: Connection, table: str, rows: list[tuple]) -> None:
    """Bulk insert through Arrow: executemany goes row by row and takes seconds for thousands."""
    if not rows:
        return
    names = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608 (internal)
    data = pa.table({n: list(col) for n, col in zip(names, zip(*rows, strict=True), strict=True)})
    con.register("_rows", data)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _rows")  # noqa: S608 (internal name)
    finally:
        con.unregister("_rows")


def build(
    con: Connection,
    scale: str | int = "demo",
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    actor: str = "system",
    demo_accounts: bool = True,
) -> BuildSummary:
    """Fill an empty database with the synthetic registries of `scale` targets (and, unless
    `demo_accounts` is False, one demo account per role: core/users.DEMO_ACCOUNTS)."""
    t0 = datetime.now()
    progress = progress or _noop
    n_targets = parse_scale(scale)
    if con.execute("SELECT count(*) FROM targets").fetchone()[0]:
        raise ValueError("the database already holds targets; build into an empty one")
    rng = np.random.default_rng([seed, 1])
    progress(0.0, "reference tables")
    street_rows = _street_weights(rng)
    insert_rows(
        con,
        "districts",
        [(s, n, en, div, float(w)) for s, n, en, div, w in ref.DISTRICTS],
    )
    slug_of = {d[1]: d[0] for d in ref.DISTRICTS}
    insert_rows(
        con,
        "streets",
        [(code, slug_of[d], s) for code, d, s, _ in street_rows],
    )
    insert_rows(con, "industries", [c[:5] for c in industry_classes()])

    progress(0.02, "departments")
    depts = build_departments()
    insert_rows(
        con,
        "departments",
        [(d.code, d.name, d.level, d.district, d.street, d.field) for d in depts],
    )
    progress(0.03, "items")
    items = build_items(depts, rng)
    insert_rows(
        con,
        "items",
        [
            (
                i.code,
                i.dept,
                i.name,
                i.item_class,
                i.content,
                i.legal_basis,
                i.subject,
                i.method,
                i.level,
                i.field,
                i.ratio_bp,
                i.frequency,
            )
            for i in items
        ],
    )
    progress(0.04, "inspectors")
    inspectors = build_inspectors(depts, np.random.default_rng([seed, 2]))
    insert_rows(con, "inspectors", inspectors)
    progress(0.05, "plans")
    plans = build_plans(depts, items, np.random.default_rng([seed, 3]), CAMPAIGN_YEAR)
    insert_rows(
        con,
        "plans",
        [
            (
                p.plan_id,
                CAMPAIGN_YEAR,
                p.name,
                p.kind,
                p.item_class,
                p.lead.code,
                p.level,
                p.kinds,
                p.industries,
                p.districts,
                p.streets,
                p.start,
                p.end,
            )
            for p in plans
        ],
    )
    insert_rows(con, "plan_items", [(p.plan_id, c) for p in plans for c in p.items])
    insert_rows(
        con,
        "plan_depts",
        [(p.plan_id, p.lead.code, "lead") for p in plans]
        + [(p.plan_id, m, "member") for p in plans for m in p.members],
    )

    model = target_model(street_rows)
    ids = np.random.default_rng([seed, 4]).permutation(n_targets).astype(np.int64)
    n_chunks = math.ceil(n_targets / CHUNK)

    def make(c: int) -> pa.Table:
        return target_chunk(model, seed, c, ids[c * CHUNK : (c + 1) * CHUNK])

    # The next chunk is generated (numpy and Arrow, mostly outside the GIL) while DuckDB inserts
    # this one: the two cores work at once. Each chunk has its own random stream, so the data
    # are the same as one after the other.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(make, 0)
        for c in range(n_chunks):
            progress(0.06 + 0.3 * c / n_chunks, f"targets {c * CHUNK:,} / {n_targets:,}")
            chunk = pending.result()
            if c + 1 < n_chunks:
                pending = pool.submit(make, c + 1)
            con.register("target_chunk", chunk)
            con.execute("INSERT INTO targets SELECT * FROM target_chunk")
            con.unregister("target_chunk")
            del chunk

    # the later steps take about half the build: each says so, so the bar keeps moving
    progress(0.36, f"targets {n_targets:,} / {n_targets:,}")
    target_lookup.refresh(con)  # codes found in milliseconds (core/target_lookup.py)
    progress(0.4, "history")
    synth_history.build(con, seed)  # hidden truth, past year, every target scored (risk)
    progress(0.75, "schedule")
    synth_schedule.build_schedule(con, seed, CAMPAIGN_YEAR)  # round 4's scheduled inspections
    progress(0.8, "summary")
    built_at = datetime.now(TZ).isoformat(timespec="seconds")
    summary = summarise(con, n_targets, seed, (datetime.now() - t0).total_seconds())
    detail = dict(summary.__dict__)
    with unit_of_work(con, actor, "dataset.build", detail):  # the build's final record
        for key, value in {
            "dataset_built_at": built_at,
            "dataset_scale": str(n_targets),
            "dataset_seed": str(seed),
            "campaign_year": str(CAMPAIGN_YEAR),
        }.items():
            set_meta(con, key, value)
        if demo_accounts:
            detail["demo_accounts"] = users.create_demo_accounts(con, actor)
    con.execute("CHECKPOINT")
    progress(1.0, "done")
    return summary


def summarise(con: Connection, scale: int, seed: int, seconds: float) -> BuildSummary:
    q = con.execute(
        "SELECT"
        " (SELECT count(*) FROM departments WHERE level IN ('city', 'district')),"
        " (SELECT count(*) FROM departments WHERE level = 'street'),"
        " (SELECT count(*) FROM items),"
        " (SELECT count(*) FROM targets),"
        " (SELECT count(*) FROM inspectors),"
        " (SELECT count(*) FROM plans),"
        " (SELECT count(*) FROM plans WHERE kind = 'single'),"
        " (SELECT count(*) FROM plans WHERE kind = 'joint')"
    ).fetchone()
    return BuildSummary(scale, seed, *q, seconds=round(seconds, 1))
