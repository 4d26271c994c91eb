"""Figures of the Risk page: tiers keep one colour each, from green (A) to red (D)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import TIER_COLORS, style


def tier_stack(
    df: pd.DataFrame, tier_names: dict[str, str], axis: dict[str, str], height: int = 420
) -> go.Figure:
    """Horizontal bars, one per group, stacked by tier; `df` has grp, tier, n."""
    totals = df.groupby("grp", sort=False)["n"].sum().sort_values(ascending=False, kind="stable")
    groups = list(totals.index)  # largest group on top
    fig = go.Figure()
    for tier, colour in TIER_COLORS.items():
        part = df[df["tier"] == tier].set_index("grp")["n"].reindex(groups, fill_value=0)
        fig.add_bar(
            y=groups,
            x=part.to_numpy(),
            name=tier_names[tier],
            orientation="h",
            marker_color=colour,
        )
    fig.update_layout(barmode="stack", xaxis_title=axis["x"])
    fig.update_yaxes(autorange="reversed")
    fig = style(fig, height)
    fig.update_layout(legend_traceorder="normal")
    return fig


def rate_by_tier(rows: list[dict], tier_names: dict[str, str], y_title: str) -> go.Figure:
    """Discovery rate per tier with its Wilson interval as error bars."""
    df = pd.DataFrame(rows).dropna(subset=["rate"])
    fig = go.Figure(
        go.Bar(
            # two lines ("A级" over "low risk"): the names sit apart under half-width bars
            x=[tier_names[t].replace(" ", "<br>", 1) for t in df["tier"]],
            y=df["rate"],
            marker_color=[TIER_COLORS[t] for t in df["tier"]],
            error_y=dict(
                type="data",
                symmetric=False,
                array=df["high"] - df["rate"],
                arrayminus=df["rate"] - df["low"],
            ),
            text=[f"{r:.1%}" for r in df["rate"]],
            textposition="outside",
        )
    )
    fig.update_yaxes(tickformat=".0%", title=y_title)
    fig.update_xaxes(tickangle=0)
    return style(fig, 380)


def calibration_curve(rows: list[dict], names: dict[str, str]) -> go.Figure:
    """Observed against predicted discovery rate by decile, with the diagonal for reference."""
    df = pd.DataFrame(rows)
    top = float(max(df["predicted"].max(), df["high"].max()))
    fig = go.Figure()
    fig.add_scatter(
        x=[0, top], y=[0, top], mode="lines", name=names["perfect"], line=dict(dash="dot")
    )
    fig.add_scatter(
        x=df["predicted"],
        y=df["observed"],
        mode="lines+markers",
        name=names["observed"],
        error_y=dict(
            type="data",
            symmetric=False,
            array=df["high"] - df["observed"],
            arrayminus=df["observed"] - df["low"],
        ),
    )
    fig.update_xaxes(tickformat=".0%", title=names["predicted"])
    fig.update_yaxes(tickformat=".0%", title=names["observed"])
    return style(fig, 360)
