"""app.py's PAGES list as data, for tests that walk every page a role may open."""

from __future__ import annotations

import ast
from pathlib import Path

from core import roles, users

ROOT = Path(__file__).resolve().parent.parent


def app_pages() -> list[tuple[str, ...]]:
    """app.py's PAGES, read from its source (importing app.py would run the app)."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            if isinstance(target, ast.Name) and target.id == "PAGES":
                return ast.literal_eval(node.value)
    raise AssertionError("app.py has no PAGES list")


def pages_for(role: str) -> list[str]:
    """The page files a user of `role` may open, in the sidebar's order."""
    return [spec[1] for spec in app_pages() if roles.allowed(role, spec[5])]


def walking_roles() -> list[str]:
    """Every role with a demo account, then the public (who never signs in)."""
    return [*dict.fromkeys(a.role for a in users.DEMO_ACCOUNTS), "public"]
