"""The pages' figure builders: core/figures.py (one home, shared with the briefing export, which
runs without Streamlit), re-exported here for the pages that import them from ui."""

from core.figures import FONT, PALETTE, TIER_COLORS, bar, style, treemap

__all__ = ["FONT", "PALETTE", "TIER_COLORS", "bar", "style", "treemap"]
