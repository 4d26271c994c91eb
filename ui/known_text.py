"""Recorded texts that are known constants, shown in the reader's language (issue 17.2): the
record keeps its exact text (it is hashed and published); the page says what it means."""

from __future__ import annotations

import ui
from core import sampling


def beacon_source(source: str) -> str:
    """The default beacon source in the reader's language; a source someone typed, as typed."""
    return ui.tr("beacon.default_source") if source == sampling.DEFAULT_BEACON_SOURCE else source
