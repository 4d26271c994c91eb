"""The analytics charts as Plotly figures: pure functions of the DataFrames core/discovery.py
and core/coverage.py return, so the pages, the presentation mode and the briefing (which runs
without Streamlit) draw the same pictures, and tests can read their data back.

Rates carry their 95 % intervals as error bars; small groups are drawn grey and labelled, after
the ranked ones. Registry names are data: they go into the figures' data, never into markup."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from core import figures, i18n
from core.figures import TIER_COLORS

SMALL_COLOR = "#b3b6b7"
BAR_COLOR = "#1f4e79"
SERIES_COLORS = {"drawn": "#1f4e79", "assigned": "#5dade2", "inspected": "#27ae60",
                 "published": "#7d3c98", "overdue": "#c0392b"}  # fmt: skip


def style(fig: go.Figure, height: int = 360, percent_axis: str | None = None) -> go.Figure:
    """core/figures.py's style, a little taller with room for a title above (the analytics
    pages and the briefing)."""
    return figures.style(fig, height, percent_axis, top=40)


def _t(key: str, lang: str, **values: Any) -> str:
    return i18n.t(key, lang, **values)


def group_label(dimension: str, key: Any, name: Any, lang: str) -> str:
    """What a group is called on an axis: tier and item class by their labels, the rest by the
    registry's name (data)."""
    if dimension == "tier":
        return i18n.t(f"risk.tier.{key}", lang)
    if dimension == "item_class":
        return i18n.label("item_class", key, lang)
    if dimension == "overall":
        return _t("discovery.all", lang)
    return str(name)


def rate_bars(df: pd.DataFrame, dimension: str, lang: str, limit: int | None = None) -> go.Figure:
    """Discovery rate per group with Wilson error bars. Ranked groups first (by rate, or in tier
    / class / month order), then the small ones, grey and labelled; `limit` keeps the first
    `limit` ranked groups (small groups are never in a truncated chart)."""
    df = df[df["dimension"] == dimension].copy()
    natural = dimension in ("tier", "item_class", "month")
    large = df[~df["small"]]
    large = large.sort_values("key") if natural else large.sort_values("rate", ascending=False)
    small = df[df["small"]].sort_values("key")
    if limit is not None and len(large) > limit:
        large, small = large.head(limit), small.iloc[0:0]
    df = pd.concat([large, small])
    labels = [
        group_label(dimension, k, n, lang) for k, n in zip(df["key"], df["name"], strict=True)
    ]
    tag = _t("analytics.small", lang)
    labels = [f"{lab} ({tag})" if s else lab for lab, s in zip(labels, df["small"], strict=True)]
    if dimension == "tier":
        colors = [SMALL_COLOR if s else TIER_COLORS.get(k, BAR_COLOR)
                  for k, s in zip(df["key"], df["small"], strict=True)]  # fmt: skip
    else:
        colors = [SMALL_COLOR if s else BAR_COLOR for s in df["small"]]
    horizontal = len(df) > 12
    err = dict(
        type="data", array=(df["high"] - df["rate"]).tolist(),
        arrayminus=(df["rate"] - df["low"]).tolist(), color="#555", thickness=1.2,
    )  # fmt: skip
    custom = df[["checks", "problems", "low", "high"]].to_numpy()
    hover = (
        "%{customdata[1]:,} / %{customdata[0]:,}<br>%{"
        + ("x" if horizontal else "y")
        + ":.1%} [%{customdata[2]:.1%}, %{customdata[3]:.1%}]<extra></extra>"
    )
    if horizontal:
        bar = go.Bar(y=labels, x=df["rate"].tolist(), orientation="h", error_x=err,
                     marker_color=colors, customdata=custom, hovertemplate=hover)  # fmt: skip
    else:
        bar = go.Bar(x=labels, y=df["rate"].tolist(), error_y=err, marker_color=colors,
                     customdata=custom, hovertemplate=hover)  # fmt: skip
    fig = go.Figure(bar)
    fig.update_layout(showlegend=False)
    if horizontal:
        fig.update_yaxes(autorange="reversed", type="category")
        return style(fig, height=max(360, 24 * len(df) + 80), percent_axis="x")
    fig.update_xaxes(type="category")
    return style(fig, percent_axis="y")


def headline_bars(population: dict[str, Any], last: dict[str, Any] | None, lang: str) -> go.Figure:
    """The raw rate (Wilson interval) beside the population estimate (HT ± 1.96 SE), and last
    year's raw rate when there is one."""
    est = population["estimate"]
    bars = [
        (_t("discovery.bar.raw", lang), population["raw_rate"], population["raw_low"],
         population["raw_high"], BAR_COLOR),
        (_t("discovery.bar.population", lang), est["share"], est["low"], est["high"],
         "#27ae60"),
    ]  # fmt: skip
    if last is not None and last.get("rate") is not None:
        bars.append((_t("discovery.bar.last_raw", lang), last["rate"], last["low"], last["high"],
                     SMALL_COLOR))  # fmt: skip
    bars = [b for b in bars if b[1] is not None and b[1] == b[1]]
    fig = go.Figure(
        go.Bar(
            x=[b[0] for b in bars],
            y=[b[1] for b in bars],
            error_y=dict(
                type="data",
                array=[b[3] - b[1] for b in bars],
                arrayminus=[b[1] - b[2] for b in bars],
                color="#555",
            ),  # fmt: skip
            marker_color=[b[4] for b in bars],
            text=[f"{b[1]:.1%}" for b in bars],
            textposition="inside",
            insidetextanchor="middle",
            textfont=dict(size=18),
            hovertemplate="%{x}: %{y:.2%}<extra></extra>",
        )
    )
    fig.update_layout(showlegend=False)
    fig.update_xaxes(type="category")
    return style(fig, percent_axis="y")


def years_bars(df: pd.DataFrame, lang: str) -> go.Figure:
    """This year against last, overall and per tier, with intervals (grouped bars)."""
    fig = go.Figure()
    order = ["all", "A", "B", "C", "D"]
    for i, (year, part) in enumerate(df.groupby("year", sort=True)):
        part = part.set_index("group").reindex([g for g in order if g in set(part["group"])])
        fig.add_trace(
            go.Bar(
                name=str(year),
                x=[
                    group_label("tier" if g != "all" else "overall", g, g, lang) for g in part.index
                ],  # fmt: skip
                y=part["rate"].tolist(),
                error_y=dict(
                    type="data",
                    array=(part["high"] - part["rate"]).tolist(),
                    arrayminus=(part["rate"] - part["low"]).tolist(),
                    color="#555",
                ),  # fmt: skip
                marker_color=[SMALL_COLOR, BAR_COLOR][min(i, 1)],
                hovertemplate="%{x}: %{y:.1%}<extra>" + str(year) + "</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return style(fig, percent_axis="y")


def trend_lines(df: pd.DataFrame, lang: str) -> go.Figure:
    """Discovery rate by month, one line per year, with intervals."""
    fig = go.Figure()
    for i, (year, part) in enumerate(df.groupby("year", sort=True)):
        part = part.sort_values("month_no")
        fig.add_trace(
            go.Scatter(
                name=str(year),
                x=part["month_no"].tolist(),
                y=part["rate"].tolist(),
                mode="lines+markers",
                error_y=dict(
                    type="data",
                    array=(part["high"] - part["rate"]).tolist(),
                    arrayminus=(part["rate"] - part["low"]).tolist(),
                    thickness=1,
                ),  # fmt: skip
                line=dict(color=[SMALL_COLOR, BAR_COLOR][min(i, 1)]),
                hovertemplate="%{x}: %{y:.1%}<extra>" + str(year) + "</extra>",
            )
        )
    fig.update_xaxes(type="category", title=_t("discovery.col.month", lang),
                     categoryorder="category ascending")  # fmt: skip
    return style(fig, percent_axis="y")


PROGRESS_STAGES = ("visits", "assigned", "done", "published")


def stage_bars(df: pd.DataFrame, by: str, lang: str) -> go.Figure:
    """Grouped bars per level or item class: visits, assigned, done, published."""
    if by == "level":
        names = [i18n.label("level", v, lang) for v in df["level"]]
    else:
        names = [i18n.label("item_class", v, lang) for v in df["item_class"]]
    fig = go.Figure()
    keys = {"visits": "coverage.visits", "assigned": "coverage.assigned_m",
            "done": "coverage.done_m", "published": "coverage.published_m"}  # fmt: skip
    colors = ["#a9cce3", "#5dade2", "#27ae60", "#7d3c98"]
    for stage, color in zip(PROGRESS_STAGES, colors, strict=True):
        fig.add_trace(go.Bar(name=_t(keys[stage], lang), x=names, y=df[stage].tolist(),
                             marker_color=color, text=df[stage].tolist(),
                             textposition="outside", cliponaxis=False))  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    return style(fig)


def share_bars(df: pd.DataFrame, by: str, lang: str) -> go.Figure:
    """The share of items in a plan this year per level or item class."""
    domain = "level" if by == "level" else "item_class"
    names = [i18n.label(domain, v, lang) for v in df[by]]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=df["plan_share"].tolist(),
            marker_color=BAR_COLOR,
            text=[f"{v:.0%}" for v in df["plan_share"]],
            textposition="outside",
            cliponaxis=False,
            customdata=df[["items_planned", "items"]].to_numpy(),
            hovertemplate="%{x}: %{customdata[0]:,} / %{customdata[1]:,}<extra></extra>",
        )  # fmt: skip
    )
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 1.1])
    return style(fig, percent_axis="y")


def progress_lines(df: pd.DataFrame, lang: str) -> go.Figure:
    """Cumulative visits drawn, assigned, inspected, published; overdue on each day."""
    fig = go.Figure()
    for series, color in SERIES_COLORS.items():
        fig.add_trace(
            go.Scatter(
                name=_t(f"coverage.series.{series}", lang),
                x=df["day"].astype(str).tolist(),
                y=df[series].tolist(),
                mode="lines",
                line=dict(color=color, dash="dot" if series == "overdue" else "solid"),
            )  # fmt: skip
        )
    return date_axis(style(fig), lang)


def date_axis(fig: go.Figure, lang: str) -> go.Figure:
    """A date x axis in the reader's language: plotly names months in English ("Mar 2026"),
    so the Chinese interface writes dates as digits."""
    if lang == "zh":
        fig.update_xaxes(tickformat="%Y-%m-%d", hoverformat="%Y-%m-%d")
    return fig


def platform_bars(df: pd.DataFrame, lang: str) -> go.Figure:
    """Each platform figure as a share of its target (100 % = met); metrics without a target
    are left out."""
    df = df[df["target"].notna()].copy()
    share = [a / t if t else None for a, t in zip(df["actual"], df["target"], strict=True)]
    names = [_t(f"coverage.metric.{m}", lang) for m in df["metric"]]
    colors = ["#c0392b" if b else "#27ae60" for b in df["behind"]]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=share,
            orientation="h",
            marker_color=colors,
            text=[f"{s:.0%}" if s is not None else "" for s in share],
            textposition="outside",
            cliponaxis=False,
            customdata=df[["actual", "target"]].astype("float").to_numpy(),
            hovertemplate="%{y}: %{customdata[0]:,.0f} / %{customdata[1]:,.0f}<extra></extra>",
        )  # fmt: skip
    )
    fig.add_vline(x=1.0, line_dash="dash", line_color="#555")
    fig.update_yaxes(autorange="reversed", type="category")
    return style(fig, height=max(240, 48 * len(df) + 80), percent_axis="x")
