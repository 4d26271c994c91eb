"""One home for the figure builders (core/figures.py): the pages (through ui/charts.py) and the
analytics figures of the briefing export (core, without Streamlit) draw with the same ones."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from core import analytics_figures, figures

ROOT = Path(__file__).resolve().parent.parent


def test_pages_and_briefing_share_one_builder():
    from ui import charts

    for name in ("bar", "style", "treemap", "TIER_COLORS", "PALETTE", "FONT"):
        assert getattr(charts, name) is getattr(figures, name), name
    assert analytics_figures.TIER_COLORS is figures.TIER_COLORS
    assert "def style(" not in (ROOT / "ui" / "charts.py").read_text(encoding="utf-8")


def test_the_analytics_look_is_the_shared_style_taller():
    fig = analytics_figures.style(go.Figure(), percent_axis="y")
    assert fig.layout.height == 360 and fig.layout.margin.t == 40
    assert fig.layout.yaxis.tickformat == ".0%" and fig.layout.font.family == figures.FONT
    assert list(fig.layout.colorway) == figures.PALETTE
    page = figures.style(go.Figure())
    assert page.layout.height == 340 and page.layout.margin.t == 30
    assert page.layout.yaxis.tickformat is None


def test_bar_draws_the_data_it_is_given():
    df = pd.DataFrame({"district": ["南山区", "福田区"], "n": [1_434_140, 12]})
    fig = figures.bar(df, "district", "n")
    assert list(fig.data[0].x) == ["南山区", "福田区"] and list(fig.data[0].y) == [1_434_140, 12]
    assert fig.data[0].texttemplate == "%{y:.3s}"  # large numbers read as 1.43M


def test_core_figures_import_without_streamlit():
    code = ("import sys; import core.figures, core.analytics_figures, core.briefing; "
            "print('streamlit' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)  # fmt: skip
    assert out.stdout.strip() == "False"
