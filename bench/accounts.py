"""Page benches sign in as the demo accounts; a full-scale database is built without them."""

from __future__ import annotations

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
