"""A refusal the user sees: a message key and its values, shown in the reader's language.

Every engine error that a person can cause (bad ratios, a draw that may not run, a bad file, a
busy database) is raised as `Refused` (or a subclass) so that the pages, the CLI and the tests
show the same text from the catalogue (core/messages) instead of a raw exception string."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """Nothing was changed, for the reason `key` (a message key) with `values`."""

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(key)

    def message(self, lang: str = "en") -> str:
        """The refusal in `lang` ('zh' or 'en'), from the message catalogue; a value that is
        itself a refusal (the rule that was broken, say) is said in `lang` too."""
        from core import i18n  # late: i18n loads every message module

        values = {k: v.message(lang) if isinstance(v, Refused) else v
                  for k, v in self.values.items()}  # fmt: skip
        return i18n.t(self.key, lang, **values)

    def __str__(self) -> str:
        return self.message("en")
