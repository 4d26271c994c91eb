"""Figures of the Merge page in the house style: pure functions of DataFrames (from
core/merge_report.py), so tests can read their data back."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ui.charts import FONT, PALETTE, style

# Departments' nodes: distinct mid-tone colours; their flows are the same colours, translucent.
DEPT_COLOURS = ["#2e86c1", "#d35400", "#27ae60", "#7d3c98", "#c0392b", "#16a085", "#b7950b"]
LINK_ALPHA = 0.25


def waterfall(steps: pd.DataFrame, names: dict[str, str], height: int = 380) -> go.Figure:
    """Baseline, the four rounds as decreases, the final visits as a total."""
    fig = go.Figure(
        go.Waterfall(
            x=[names.get(k, k) for k in steps["key"]],
            y=steps["value"].tolist(),
            measure=steps["measure"].tolist(),
            text=[f"{abs(int(v)):,}" for v in steps["value"]],
            textposition="outside",
            cliponaxis=False,
            connector={"line": {"color": "#bbbbbb"}},
            decreasing={"marker": {"color": PALETTE[4]}},
            increasing={"marker": {"color": PALETTE[0]}},
            totals={"marker": {"color": PALETTE[1]}},
        )
    )
    fig.update_layout(showlegend=False)
    return style(fig, height)


def sankey(flows: pd.DataFrame, names: dict[str, str], height: int = 460) -> go.Figure:
    """Departments -> alone / joint visit -> own / folded, from department_flows()."""
    depts = flows.groupby("department", sort=False)["n"].sum().sort_values(ascending=False)
    nodes = [names.get(d, d) for d in depts.index]
    kinds = ["alone", "joint"]
    outcomes = ["own", "folded"]
    nodes += [names[k] for k in kinds] + [names[o] for o in outcomes]
    index = {d: i for i, d in enumerate(depts.index)}
    base = len(depts)
    kind_at = {k: base + i for i, k in enumerate(kinds)}
    out_at = {o: base + len(kinds) + i for i, o in enumerate(outcomes)}
    first = flows.groupby(["department", "visit_kind"], as_index=False)["n"].sum()
    second = flows.groupby(["visit_kind", "outcome"], as_index=False)["n"].sum()
    source = [index[d] for d in first["department"]] + [kind_at[k] for k in second["visit_kind"]]
    target = [kind_at[k] for k in first["visit_kind"]] + [out_at[o] for o in second["outcome"]]
    value = first["n"].tolist() + second["n"].tolist()
    colours = [DEPT_COLOURS[i % len(DEPT_COLOURS)] for i in range(base)]
    colours += [PALETTE[1], PALETTE[4], PALETTE[7], PALETTE[6]]
    fig = go.Figure(
        go.Sankey(
            node={"label": nodes, "pad": 12, "thickness": 14, "color": colours,
                  "line": {"color": "white", "width": 0.5}},
            # each flow a light, translucent tint of the node it leaves, so dark labels stay
            # readable where they cross it
            link={"source": source, "target": target, "value": value,
                  "color": [translucent(colours[i], LINK_ALPHA) for i in source]},
            textfont={"color": "#17202a", "size": 12, "family": FONT},
            valueformat=",",
        )
    )  # fmt: skip
    return style(fig, height)


def translucent(colour: str, alpha: float) -> str:
    """'#rrggbb' as an rgba() string with the given opacity."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def burden(df: pd.DataFrame, names: dict[str, str], height: int = 360) -> go.Figure:
    """Enterprises by visits a year, before and after merging, as grouped bars."""
    fig = go.Figure(
        [
            go.Bar(
                name=names[stage],
                x=df["visits"].tolist(),
                y=df[stage].tolist(),
                text=[f"{int(v):,}" for v in df[stage]],
                textposition="outside",
                cliponaxis=False,
                marker_color=PALETTE[4] if stage == "before" else PALETTE[1],
            )
            for stage in ("before", "after")
        ]
    )
    fig.update_layout(
        barmode="group",
        xaxis_title=names["visits"],
        yaxis_title=names["targets"],
        xaxis={"type": "category"},
    )
    return style(fig, height)


def modes(df: pd.DataFrame, names: dict[str, str], height: int = 300) -> go.Figure:
    """Baseline and visits after merging, per draw mode."""
    labels = [names[m] for m in df["mode"]]
    fig = go.Figure(
        [
            go.Bar(
                name=names[col],
                x=labels,
                y=df[col].tolist(),
                text=[f"{int(v):,}" for v in df[col]],
                textposition="outside",
                cliponaxis=False,
            )
            for col in ("baseline_pairs", "visits")
        ]
    )
    fig.update_layout(barmode="group")
    return style(fig, height)
