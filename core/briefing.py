"""The headline charts of a year, in order, for the presentation mode and the briefing export.

The briefing is one standalone HTML file: plotly.js embedded inline once (no network needed to
open it), the date, the data version, the headline figures with their intervals, and every
chart. Each chart can also be written as PNG and SVG with kaleido, which drives a local
Chromium (BROWSER_PATH, default /usr/bin/chromium) and needs no network either.
Registry text in the figures is data (Plotly renders it as text); everything put into the page's
own markup is escaped."""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from core import analytics_figures as figs
from core import coverage, discovery, i18n, stats
from core.db import Connection, data_version

DEFAULT_BROWSER = "/usr/bin/chromium"


@dataclass
class Slide:
    key: str  # stable id (plot div id, image file name, test handle)
    title: str
    draw: Callable[[], go.Figure]  # the chart, drawn when first asked for
    note: str = ""  # one plain-text line under the chart

    @cached_property
    def figure(self) -> go.Figure:
        """The chart: the presentation shows one slide at a time and draws only that one."""
        return self.draw()


def _pct(v: float | None) -> str:
    return "—" if v is None or v != v else f"{v:.1%}"


def headline(d: dict[str, Any], c: dict[str, Any], version: int, as_of: date) -> dict[str, Any]:
    """The year's headline figures from the discovery and coverage reports: discovery rate,
    population estimate, lift, tier test, change from last year, coverage."""
    return {
        "year": d["year"], "as_of": as_of.isoformat(), "data_version": version,
        "source": d["source"],
        "overall": d["overall"], "population": d["population"], "tiers": d["tiers"],
        "years": d["years"], "coverage": c["headline"],
    }  # fmt: skip


def headline_rows(h: dict[str, Any], lang: str) -> list[tuple[str, str, str]]:
    """(figure, value, 95 % interval) rows of the headline table, as text."""
    o, p = h["overall"], h["population"]
    est, lift = p["estimate"], p["lift"]
    c = h["coverage"]
    t = i18n.t
    rows = [
        (t("discovery.rate", lang), f"{_pct(o['rate'])} ({o['problems']:,} / {o['checks']:,})",
         f"{_pct(o['low'])} – {_pct(o['high'])}"),
        (t("discovery.population", lang), _pct(est["share"]),
         f"{_pct(est['low'])} – {_pct(est['high'])}"),
        (t("discovery.lift", lang),
         "—" if lift["lift"] != lift["lift"] else f"{lift['lift']:.2f}×",
         "—" if lift["lift"] != lift["lift"] else f"{lift['low']:.2f} – {lift['high']:.2f}"),
        (t("discovery.chi2", lang),
         "—" if h["tiers"]["p_value"] != h["tiers"]["p_value"]
         else f"χ² = {h['tiers']['statistic']:.1f}, {stats.p_text(h['tiers']['p_value'])}", ""),
        (t("coverage.visits", lang), f"{c['visits']:,}", ""),
        (t("coverage.done_m", lang), f"{c['done']:,}", ""),
        (t("coverage.published_m", lang), f"{c['published']:,}", ""),
        (t("coverage.tier_share", lang), _pct(c["tier_share"]), ""),
    ]  # fmt: skip
    last = h["years"]["last"]
    if last["rate"] is not None:
        rows.insert(1, (f"{t('discovery.rate', lang)} ({last['year']})",
                        f"{_pct(last['rate'])} ({last['problems']:,} / {last['checks']:,})",
                        f"{_pct(last['low'])} – {_pct(last['high'])}"))  # fmt: skip
    return rows


def slides(d: dict[str, Any], c: dict[str, Any], lang: str) -> list[Slide]:
    """The headline charts, in the order a meeting sees them, from the discovery report `d`
    and the city-wide coverage charts `c` (coverage.charts, or the whole report)."""
    t = i18n.t

    def by(dim: str) -> str:
        return t("discovery.by_group", lang, dim=t(f"discovery.dim.{dim}", lang))

    rates, pop, last = d["rates"], d["population"], d["last"]
    out = [
        Slide("discovery_headline", t("discovery.headline_chart", lang),
              lambda: figs.headline_bars(pop, last, lang),
              t(f"discovery.design.{pop['design']}", lang)),
        Slide("discovery_tier", t("discovery.by_tier", lang),
              lambda: figs.rate_bars(rates, "tier", lang)),
        Slide("discovery_years", t("discovery.years", lang),
              lambda: figs.years_bars(d["compare"], lang)),
        Slide("discovery_trend", t("discovery.trend", lang),
              lambda: figs.trend_lines(d["monthly"], lang)),
        Slide("discovery_class", by("item_class"),
              lambda: figs.rate_bars(rates, "item_class", lang)),
        Slide("discovery_district", by("district"),
              lambda: figs.rate_bars(rates, "district", lang)),
        Slide("coverage_level", t("coverage.by_level", lang),
              lambda: figs.stage_bars(c["levels"], "level", lang)),
        Slide("coverage_class", t("coverage.plan_share", lang),
              lambda: figs.share_bars(c["classes"], "item_class", lang)),
        Slide("coverage_progress", t("coverage.progress", lang),
              lambda: figs.progress_lines(c["progress"], lang)),
    ]  # fmt: skip
    platform = c["platform"]
    if platform["target"].notna().any():
        out.append(Slide("coverage_platform", t("coverage.platform", lang),
                         lambda: figs.platform_bars(platform, lang)))  # fmt: skip
    return out


CSS = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2rem auto; max-width: 1100px; color: #1b2631; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; } h2 { font-size: 1.25rem; margin-top: 2rem; }
.meta { color: #566573; } .note { color: #566573; font-size: .9rem; }
table { border-collapse: collapse; margin-top: .5rem; }
td, th { border-bottom: 1px solid #d5d8dc; padding: .35rem .8rem; text-align: left; }
section.chart { page-break-inside: avoid; }
"""


def render_html(h: dict[str, Any], deck: list[Slide], lang: str, generated: date) -> str:
    """The standalone briefing page."""
    esc = html.escape
    t = i18n.t
    source_key = f"analytics.source.{h.get('source') or 'none'}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{esc(t('briefing.title', lang, year=h['year']))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{esc(t('briefing.title', lang, year=h['year']))}</h1>",
        f'<p class="meta">{esc(t("briefing.generated", lang, day=generated.isoformat(), version=h["data_version"]))}</p>',  # noqa: E501
        f'<p class="meta">{esc(t(source_key, lang))}</p>',
        f"<h2>{esc(t('briefing.headline', lang))}</h2>",
        '<table id="headline"><tr>'
        + "".join(
            f"<th>{esc(t(k, lang))}</th>"
            for k in ("briefing.figure", "briefing.value", "briefing.interval")
        )  # fmt: skip
        + "</tr>",
    ]
    for row in headline_rows(h, lang):
        parts.append("<tr>" + "".join(f"<td>{esc(str(c))}</td>" for c in row) + "</tr>")
    parts.append("</table>")
    for i, slide in enumerate(deck):
        div = slide.figure.to_html(
            full_html=False,
            include_plotlyjs=(i == 0),  # the whole library inline, once
            div_id=f"chart-{slide.key}",
            config={"displaylogo": False, "responsive": True},
        )
        note = f'<p class="note">{esc(slide.note)}</p>' if slide.note else ""
        parts.append(f'<section class="chart"><h2>{esc(slide.title)}</h2>{div}{note}</section>')
    parts.append("</body></html>")
    return "\n".join(parts)


def build(con: Connection, year: int, lang: str = "zh", as_of: date | None = None) -> str:
    """The briefing HTML for `year` as of `as_of` (today in Shanghai by default)."""
    as_of = as_of or coverage.today()
    d, c = discovery.report(con, year), coverage.report(con, year, as_of)
    h = headline(d, c, data_version(con), as_of)
    return render_html(h, slides(d, c, lang), lang, as_of)


def write_images(
    deck: list[Slide], folder: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:  # noqa: E501
    """Each chart as PNG and SVG via kaleido and a local Chromium (no network)."""
    os.environ.setdefault("BROWSER_PATH", DEFAULT_BROWSER)
    import kaleido  # late: only the image export needs it

    folder.mkdir(parents=True, exist_ok=True)
    jobs, paths = [], []
    for slide in deck:
        for fmt in formats:
            path = folder / f"{slide.key}.{fmt}"
            jobs.append({"fig": slide.figure, "path": str(path),
                         "opts": {"format": fmt, "width": 1100, "height": 520}})  # fmt: skip
            paths.append(path)
    kaleido.write_fig_from_object_sync(jobs)  # one browser for every chart
    return paths
