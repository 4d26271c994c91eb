"""Page benches sign in as the demo accounts; a full-scale database is built without them."""

from __future__ import annotations

import os
from pathlib import Path


def ensure_demo_accounts(path: str | Path) -> None:
    """Add the demo accounts (one per role) unless the database already has the admin's."""
    from core import db, users

    con = db.connect(Path(path))
    try:
        if users.get_user(con, users.DEMO_ACCOUNTS[0].user_id) is None:
            users.create_demo_accounts(con, "bench")
    finally:
        con.close()


def use_for_pages(path: str | Path) -> None:
    """Point the app's pages at `path` (SUICHA_DB, read when a page opens its connection) and
    make sure the demo accounts they sign in as exist there."""
    os.environ["SUICHA_DB"] = str(path)
    ensure_demo_accounts(path)
