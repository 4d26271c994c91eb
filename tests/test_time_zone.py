"""Domain dates are Asia/Shanghai dates (core/vocab.py TZ). The machine's own date is UTC on
servers and CI: between 16:00 and 24:00 UTC it is a day behind Shanghai, and a beacon date of
"tomorrow" by the machine's date is "today" by the notice's, which refuses it. So no module or
test derives a domain date from the machine's local date."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_DATE = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)\.date\(\)")


def test_no_domain_date_comes_from_the_machines_local_date():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("core", "views", "ui", "tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.name != "test_time_zone.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LOCAL_DATE.search(line)
    ]
    assert offenders == [], offenders
    assert (ROOT / "app.py").read_text(encoding="utf-8").count("date.today()") == 0
