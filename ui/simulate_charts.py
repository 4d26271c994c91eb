"""The Simulation page's figures: pure functions of the scenarios' DataFrames."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import PALETTE, style

SCENARIO_COLORS = (PALETTE[3], PALETTE[0], PALETTE[4])  # in force, proposed, optimiser


def workload(df: pd.DataFrame, names: tuple[str, str], capacity_label: str) -> go.Figure:
    """Horizontal bars per department: inspector-visits in force and proposed, capacity marked.
    `df`: department, base, other, capacity."""
    fig = go.Figure()
    for col, name, colour in zip(("base", "other"), names, SCENARIO_COLORS, strict=False):
        fig.add_bar(
            y=df["department"], x=df[col], name=name, orientation="h", marker_color=colour,
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )  # fmt: skip
    fig.add_scatter(
        y=df["department"], x=df["capacity"], mode="markers", name=capacity_label,
        marker=dict(symbol="line-ns", size=18, line=dict(width=3, color="#c0392b")),
        hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
    )  # fmt: skip
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    return style(fig, height=max(320, 34 * len(df) + 80))


def discoveries_vs_burden(df: pd.DataFrame, x_label: str, y_label: str) -> go.Figure:
    """One point per scenario: visits finding nothing (x) against problems expected (y), with the
    95 % interval. `df`: scenario, burden, discoveries, lo, hi."""
    fig = go.Figure()
    for i, row in enumerate(df.itertuples(index=False)):
        fig.add_scatter(
            x=[row.burden], y=[row.discoveries], name=row.scenario, mode="markers",
            marker=dict(size=14, color=SCENARIO_COLORS[i % len(SCENARIO_COLORS)]),
            error_y=dict(type="data", symmetric=False, array=[row.hi - row.discoveries],
                         arrayminus=[row.discoveries - row.lo]),
            hovertemplate="%{x:,.0f} · %{y:,.0f}<extra></extra>",
        )  # fmt: skip
    fig.update_xaxes(title=x_label, rangemode="tozero")
    fig.update_yaxes(title=y_label, rangemode="tozero")
    return style(fig, height=360)
