"""Inspection results (issue 13.4, 13.5, 13.7): what inspectors found, and the visit's way from
待检查 to 已公示.

- entry: one task's outcome codes, note and completion date, checked and saved by an inspector
  of the visit (never anyone else's visit), audited through core/writes.py.
- workflow: the visit's status (pending -> in_progress -> review -> done -> published) and the
  department reviewer's approval; an edit after approval needs a reason.
- access: the only queries that show visits to an inspector or a reviewer; the inspector's id
  always comes from the signed-in user, never from a parameter a page or URL could set.
- bulk: `python -m core results import FILE` for departments with their own systems.
- simulate: `python -m core results simulate --year Y`, results from the synthetic hidden truth
  with a seeded SHA-256 number per task, marked simulated wherever they appear.
- notices: the result notices and their 20-working-day deadlines (core/publish.py calls them).
"""
