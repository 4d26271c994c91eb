"""Result notices: one per approved (已完成) visit. The results issue owns these function bodies;
the names and call sites stay (publish_year, export, the Publish page, the public view). They read
the results tables through core/results/notices.py (schema 090_results.sql). The outcome codes,
their kinds and their names have one home: core/vocab.py OUTCOMES and the messages catalogue
(results.outcome.<code>)."""

from __future__ import annotations

import re
from typing import Any

from core.db import Connection


def results_available(con: Connection) -> bool:
    """True once any result has been recorded (core/results/notices.py)."""
    from core.results import notices

    return notices.results_available(con)


def outcome_codes(value: Any) -> list[str]:
    """An outcome cell as its list of codes: a list, or codes separated by , ; | or spaces."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip().upper() for v in value if str(v).strip()]
    return [c.upper() for c in re.split(r"[,;|\s]+", str(value).strip()) if c]


def outcome_category(codes: list[str]) -> str:
    """The category a result notice publishes: 'problem' if any code is a problem, else
    'excluded' if any is excluded, else 'no_problem' (core/results/notices.py, from the one
    outcome vocabulary in core/vocab.py; the codes' names are messages results.outcome.*)."""
    from core.results import notices

    return notices.category(codes)


def result_notices(con: Connection, year: int) -> dict[str, dict[str, Any]]:
    """The public notice of every approved visit of `year`, keyed by visit_id; empty until
    results exist (core/results/notices.py)."""
    from core.results import notices

    return notices.result_notices(con, year)
