"""One registry of settings: every module reads its tunable from it, and an override in the
environment reaches the modules that use it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core import settings
from core.assignment import rule
from core.simulate import settings as simulate_settings

ROOT = Path(__file__).resolve().parent.parent


def test_the_simulator_and_the_assignment_share_one_cap():
    cap = settings.value("inspector_cap_per_campaign")
    assert rule.DEFAULT_CAP == simulate_settings.DEFAULT_CAP_PER_INSPECTOR == cap == 60


def test_an_environment_override_reaches_the_modules():
    code = (
        "import json; from core import deadlines, users; from core.assignment import rule; "
        "print(json.dumps([rule.DEFAULT_CAP, deadlines.PUBLICATION_WORKING_DAYS, "
        "users.MAX_FAILURES]))"
    )
    env = {
        **os.environ,
        "SUICHA_INSPECTOR_CAP_PER_CAMPAIGN": "75",
        "SUICHA_PUBLICATION_WORKING_DAYS": "15",
        "SUICHA_SIGN_IN_FAILURES_BEFORE_LOCK": "x",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert json.loads(out) == [75, 15, 5]  # a value of the wrong type keeps the default


def test_cli_lists_every_setting():
    r = subprocess.run([sys.executable, "-m", "core", "settings", "--json"], cwd=ROOT,
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {s.name: s.default for s in settings.SETTINGS}
