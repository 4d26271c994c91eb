"""Chinese and English UI text. Each area keeps its messages in core/messages/<area>.py as
MESSAGES = {key: (zh, en)}; domain terms keep their Chinese names in both languages."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from core import messages

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"


@cache
def catalogue() -> dict[str, tuple[str, str]]:
    """All messages, merged; a key defined twice is a bug and fails loudly."""
    merged: dict[str, tuple[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(messages.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"core.messages.{info.name}")
        for key, pair in module.MESSAGES.items():
            if key in merged:
                raise KeyError(f"message {key!r} defined twice (core/messages/{info.name}.py)")
            merged[key] = pair
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The message `key` in `lang`, formatted with `values`; an unknown key shows itself."""
    pair = catalogue().get(key)
    if pair is None:
        return key
    text = pair[0] if lang == "zh" else pair[1]
    return text.format(**values) if values else text


def label(domain: str, value: object, lang: str = DEFAULT_LANGUAGE) -> str:
    """Display name of a coded value, e.g. label('level', 'city') -> 市级."""
    key = f"{domain}.{value}"
    return t(key, lang) if key in catalogue() else str(value)
