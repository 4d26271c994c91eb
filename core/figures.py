"""The figure builders every chart shares, pages and the briefing alike: one palette, one font,
one tier colour per credit-risk tier, one style, and the bar chart and treemap. Pure functions of
DataFrames returning Plotly figures (tests read their data back); core/, so the briefing export
draws with them without Streamlit, and ui/charts.py hands them to the pages."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

PALETTE = ["#1f4e79", "#2e86c1", "#5dade2", "#a9cce3", "#d35400", "#f0b27a", "#7d3c98", "#27ae60"]
# One colour per credit-risk tier, from green (A, low risk) to red (D, high risk), on every page.
TIER_COLORS = {"A": "#27ae60", "B": "#2e86c1", "C": "#e67e22", "D": "#c0392b"}
FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


def style(
    fig: go.Figure, height: int = 340, percent_axis: str | None = None, top: int = 30
) -> go.Figure:
    """The one look: font, palette, legend on top, white plot; `percent_axis` 'x' or 'y' reads
    that axis as percentages from zero; `top` the margin above the plot."""
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        font=dict(family=FONT, size=13),
        colorway=PALETTE,
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, title=None),
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#eeeeee")
    if percent_axis == "y":
        fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    elif percent_axis == "x":
        fig.update_xaxes(tickformat=".0%", rangemode="tozero", gridcolor="#eeeeee")
    return fig


def bar(
    df: pd.DataFrame, x: str, y: str, color: str | None = None, horizontal: bool = False,
    labels: dict[str, str] | None = None, height: int = 340,
    color_map: dict[str, str] | None = None,
) -> go.Figure:  # fmt: skip
    """Bars with their numbers; `color_map` fixes each colour value's colour and order."""
    extra = {}
    if color_map:
        extra = dict(color_discrete_map=color_map, category_orders={color: list(color_map)})
    if horizontal:
        fig = px.bar(df, x=y, y=x, color=color, orientation="h", labels=labels, text_auto=True,
                     **extra)  # fmt: skip
        fig.update_yaxes(autorange="reversed")
    else:
        fig = px.bar(df, x=x, y=y, color=color, labels=labels, text_auto=True, **extra)
    value = df[y].max() if len(df) else 0
    number = ".3s" if value >= 100_000 else ","  # 1.43M reads better than a squeezed 1,434,140
    fig.update_traces(
        texttemplate=f"%{{x:{number}}}" if horizontal else f"%{{y:{number}}}",
        textposition="outside" if color is None else "inside",
        cliponaxis=False,
    )
    if horizontal and color is None and value > 0:
        fig.update_xaxes(range=[0, value * 1.15])  # room for the longest bar's label ("2.87M")
    fig = style(fig, height)
    if color is not None:
        # stacked segments: one readable size for every label; a segment too thin to hold its
        # number shows none (hover still has it) instead of a squeezed, unreadable one
        fig.update_layout(uniformtext=dict(minsize=11, mode="hide"))
        fig.update_traces(textangle=0)  # never turned sideways to squeeze in
        if horizontal and len(df):
            # each bar's total at its end: a short bar whose segments hide their numbers
            # still reads
            totals = df.groupby(x, sort=False)[y].sum()
            for group, total in totals.items():
                fig.add_annotation(x=total, y=group, text=f"{total:,}", showarrow=False,
                                   xanchor="left", xshift=4)  # fmt: skip
            fig.update_xaxes(range=[0, totals.max() * 1.15])
    return fig


def treemap(df: pd.DataFrame, path: list[str], value: str, height: int = 420) -> go.Figure:
    fig = px.treemap(df, path=[px.Constant("深圳市")] + path, values=value)
    # the hover says what the tile says (px's default names the raw columns: labels, parent, id)
    fig.update_traces(textinfo="label+value", root_color="#f4f6f8",
                      hovertemplate="%{label}<br>%{value:,}<extra></extra>")  # fmt: skip
    return style(fig, height)
