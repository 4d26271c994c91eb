"""Recorded texts that are known constants, shown in the reader's language (issue 17.2): the
record keeps its exact text (it is hashed and published); the page says what it means."""

from __future__ import annotations

from datetime import datetime

import ui
from core import sampling
from core.vocab import TZ


def beacon_source(source: str) -> str:
    """The default beacon source in the reader's language; a source someone typed, as typed."""
    return ui.tr("beacon.default_source") if source == sampling.DEFAULT_BEACON_SOURCE else source


def beacon_source_input(typed: str) -> str:
    """What a form's beacon-source field means: left as the default (shown in the reader's
    language), it records the default's canonical text."""
    return sampling.DEFAULT_BEACON_SOURCE if typed == ui.tr("beacon.default_source") else typed


def beacon_format(code: str) -> str:
    """A beacon format code (core/sampling BEACON_FORMATS) in words (the record keeps the code;
    the downloadable notice shows it)."""
    return ui.label("beacon.format", code)


def actor(name: object) -> str:
    """Who did something, as recorded: the built-in actor of the app's own jobs (the demo build,
    migrations) in the reader's language; a user's or an OS account's id as recorded."""
    text = "" if name is None else str(name)
    return ui.tr("actor.system") if text == "system" else text


def local_time(value: object) -> str:
    """A recorded ISO timestamp as people read it: Shanghai time to the minute
    ("2026-11-30 11:20"); a date stays a date; anything else is shown as recorded."""
    text = "" if value is None else str(value)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:  # a date
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(TZ)
    return moment.strftime("%Y-%m-%d %H:%M")
