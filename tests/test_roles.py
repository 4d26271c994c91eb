"""Roles decide which pages a user sees."""

from core import roles
from tests.apptest_helpers import metrics, run_app


def test_permissions_registry():
    assert roles.allowed("leadership", "overview.view")
    assert not roles.allowed("public", "overview.view")
    assert not roles.allowed("leadership", "no.such.permission")
    for permission, holders in roles.PERMISSIONS.items():
        assert holders <= set(roles.ROLES), permission


def test_public_does_not_see_overview(app_env, small_path):
    app_env(small_path)
    at = run_app(role="leadership")
    assert metrics(at)["检查对象"] == "5,000"
    at = run_app(role="public")
    assert not at.exception
    assert metrics(at) == {}
    # the public lands on the public notices (一公开), never on the Overview
    assert at.title[0].value == "双随机抽查公示"
