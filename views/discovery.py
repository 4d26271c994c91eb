"""The problem discovery rate for leadership: raw rate with its interval beside the population
estimate, by tier and by group, this year against last, by month (core/discovery.py)."""

import streamlit as st

import ui
from core import analytics_figures as figs
from core import discovery, stats
from ui import analytics as ua

st.title(ui.tr("discovery.title"))
st.caption(ui.tr("discovery.caption"))
year = ua.year_select(st.columns([1, 4])[0])
if year is None:
    st.info(ui.tr("discovery.none"))
    st.stop()
ua.toolbar(year)

r = ui.query(discovery.report, year)
lang, pct = ui.lang(), ua.percent
st.caption(ui.tr(f"analytics.source.{r['source'] or 'none'}"))
o, pop = r["overall"], r["population"]
est, lift, chi = pop["estimate"], pop["lift"], r["tiers"]

cols = st.columns(4)
cols[0].metric(
    ui.tr("discovery.rate"), pct(o["rate"]),
    help=ui.tr("discovery.rate_help", k=ui.fmt_int(o["problems"]), n=ui.fmt_int(o["checks"]),
               lo=pct(o["low"]), hi=pct(o["high"]), x=ui.fmt_int(o["excluded"])),
)  # fmt: skip
cols[1].metric(
    ui.tr("discovery.population"), pct(est["share"]),
    help=ui.tr("discovery.population_help", lo=pct(est["low"]), hi=pct(est["high"]),
               se=pct(est["se"], 2), cov=ui.fmt_int(est["population"]),
               pop=ui.fmt_int(est["population"] + est["uncovered"])),
)  # fmt: skip
lift_ok = lift["lift"] == lift["lift"]
cols[2].metric(
    ui.tr("discovery.lift"), f"{lift['lift']:.2f}×" if lift_ok else "—",
    help=ui.tr("discovery.lift_help", lo=f"{lift['low']:.2f}" if lift_ok else "—",
               hi=f"{lift['high']:.2f}" if lift_ok else "—"),
)  # fmt: skip
chi_ok = chi["p_value"] == chi["p_value"]
cols[3].metric(
    ui.tr("discovery.chi2"), stats.p_text(chi["p_value"]),
    help=ui.tr("discovery.chi2_help", stat=f"{chi['statistic']:.1f}" if chi_ok else "—",
               dof=chi["dof"]),
)  # fmt: skip
st.caption(ui.tr(f"discovery.design.{pop['design']}"))

left, right = st.columns(2)
with left:
    ui.chart(ui.tr("discovery.headline_chart"), figs.headline_bars(pop, r["last"], lang),
             "discovery_headline")  # fmt: skip
with right:
    ui.chart(ui.tr("discovery.by_tier"), figs.rate_bars(r["rates"], "tier", lang),
             "discovery_tier")  # fmt: skip

dims = ["item_class", "dept", "district", "street", "industry"]
# labels computed now: a format_func reading the session later (AppTest does) sees no language
dim_names = {d: ui.tr(f"discovery.dim.{d}") for d in dims}
dim = st.radio(
    ui.tr("discovery.by_dimension"), dims, format_func=dim_names.get,
    horizontal=True, key="discovery_dim",
)  # fmt: skip
ui.chart(
    ui.tr("discovery.by_group", dim=ui.tr(f"discovery.dim.{dim}")),
    figs.rate_bars(r["rates"], dim, lang, limit=30),
    "discovery_group",
)
st.caption(ui.tr("analytics.small_note", n=discovery.MIN_GROUP))
table = r["rates"][r["rates"]["dimension"] == dim]
names = zip(table["key"], table["name"], strict=True)
shown = table.assign(group=[figs.group_label(dim, k, n, lang) for k, n in names])[
    ["group", "checks", "problems", "excluded", "rate", "low", "high", "rank", "small"]
]
with st.expander(ui.tr("discovery.group_table")):
    ui.table(
        shown, hide_index=True,
        column_config={
            "group": ui.tr("discovery.col.group"), "checks": ui.tr("discovery.col.checks"),
            "problems": ui.tr("discovery.col.problems"),
            "excluded": ui.tr("discovery.col.excluded"),
            "rate": st.column_config.NumberColumn(ui.tr("discovery.col.rate"), format="percent"),
            "low": st.column_config.NumberColumn(ui.tr("discovery.col.low"), format="percent"),
            "high": st.column_config.NumberColumn(ui.tr("discovery.col.high"), format="percent"),
            "rank": ui.tr("discovery.col.rank"), "small": ui.tr("discovery.col.small"),
        },
    )  # fmt: skip

left, right = st.columns(2)
with left:
    ui.chart(ui.tr("discovery.years"), figs.years_bars(r["compare"], lang), "discovery_years")
    yd = r["years"]
    if yd["difference"] is not None:
        st.caption(
            ui.tr(
                "discovery.years_note",
                this=year,
                last=year - 1,
                r1=pct(yd["this"]["rate"]),
                r0=pct(yd["last"]["rate"]),
                d=pct(yd["difference"]),
                p=f"{yd['p_value']:.2g}",
            )  # fmt: skip
        )
with right:
    ui.chart(ui.tr("discovery.trend"), figs.trend_lines(r["monthly"], lang), "discovery_trend")
