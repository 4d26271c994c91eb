"""The Simulation page's figures: pure functions of the scenarios' DataFrames.

Built as plain Plotly figure dicts (st.plotly_chart takes them as they are): constructing
graph_objects validates every property and costs more than the scenario's whole evaluation,
which a slider move should not pay for. The look follows ui.charts.style."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ui.charts import FONT, PALETTE

SCENARIO_COLORS = (PALETTE[3], PALETTE[0], PALETTE[4])  # in force, proposed, optimiser


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": {"family": FONT, "size": 13},
        "colorway": PALETTE,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        "plot_bgcolor": "white",
        **extra,
    }


def workload(
    df: pd.DataFrame, names: tuple[str, str], capacity_label: str, axis_label: str
) -> dict[str, Any]:
    """Horizontal bars per department: inspector-visits as a share of capacity (%), in force and
    proposed, with the 100 % line. `df`: department, base, other (percent), base_n, other_n
    (inspector-visits), capacity."""
    y = df["department"].tolist()
    cap = df["capacity"].to_numpy()
    data: list[dict[str, Any]] = [
        {"type": "bar", "orientation": "h", "y": y, "x": df[col].round(1).tolist(),
         "name": name, "marker": {"color": colour},
         "customdata": [[float(n), float(c)] for n, c in zip(df[f"{col}_n"], cap, strict=True)],
         "hovertemplate": "%{y}: %{x:.0f}% (%{customdata[0]:,.0f} / %{customdata[1]:,.0f})"
                          "<extra></extra>"}
        for col, name, colour in zip(("base", "other"), names, SCENARIO_COLORS, strict=False)
    ]  # fmt: skip
    data.append({
        "type": "scatter", "mode": "lines", "x": [100, 100], "y": [y[0], y[-1]] if y else [],
        "name": capacity_label, "line": {"color": "#c0392b", "width": 2, "dash": "dash"},
        "hoverinfo": "skip",
    })  # fmt: skip
    layout = _layout(
        max(320, 34 * len(df) + 80), barmode="group",
        xaxis={"showgrid": False, "title": {"text": axis_label}, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "gridcolor": "#eeeeee"},
    )  # fmt: skip
    return {"data": data, "layout": layout}


def discoveries_vs_burden(df: pd.DataFrame, x_label: str, y_label: str) -> dict[str, Any]:
    """One point per scenario: visits finding nothing (x) against problems expected (y), with the
    95 % interval. `df`: scenario, burden, discoveries, lo, hi."""
    data = [
        {"type": "scatter", "mode": "markers", "x": [float(r.burden)],
         "y": [float(r.discoveries)], "name": r.scenario,
         "marker": {"size": 14, "color": SCENARIO_COLORS[i % len(SCENARIO_COLORS)]},
         "error_y": {"type": "data", "symmetric": False, "array": [float(r.hi - r.discoveries)],
                     "arrayminus": [float(r.discoveries - r.lo)]},
         "hovertemplate": "%{x:,.0f} · %{y:,.0f}<extra></extra>"}
        for i, r in enumerate(df.itertuples(index=False))
    ]  # fmt: skip
    layout = _layout(
        360, xaxis={"title": {"text": x_label}, "rangemode": "tozero", "showgrid": False},
        yaxis={"title": {"text": y_label}, "rangemode": "tozero", "gridcolor": "#eeeeee"},
    )  # fmt: skip
    return {"data": data, "layout": layout}
