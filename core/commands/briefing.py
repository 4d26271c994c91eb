"""python -m core briefing --year Y --out FILE [--lang zh|en] [--images DIR]: the year's briefing
as one standalone HTML file (plotly.js inline: opens with no network), and optionally each chart
as PNG and SVG (kaleido with the local Chromium). Reads only."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from core import briefing, coverage, db, discovery, i18n
from core.commands import add_common, emit, fail


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("briefing", help="the year's leadership briefing as one standalone HTML")
    add_common(p)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--out", required=True, help="HTML file to write")
    p.add_argument("--lang", choices=sorted(i18n.LANGUAGES), default=i18n.DEFAULT_LANGUAGE)
    p.add_argument("--as-of", help="date that late and overdue are judged on (default today)")
    p.add_argument("--images", help="also write each chart as PNG and SVG into this folder")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.db or db.default_db_path())
    if not path.exists():
        return fail(f"{path}: no database (run python -m core init first)")
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else coverage.today()
    except ValueError:
        return fail(f"--as-of {args.as_of}: not a date (YYYY-MM-DD)")
    con = db.connect(path, read_only=True)
    try:
        if args.year not in discovery.years(con):
            return fail(i18n.t("analytics.no_year", "en", year=args.year))
        d, c = discovery.report(con, args.year), coverage.report(con, args.year, as_of)
        h = briefing.headline(d, c, db.data_version(con), as_of)
    finally:
        con.close()
    deck = briefing.slides(d, c, args.lang)
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(briefing.render_html(h, deck, args.lang, as_of), encoding="utf-8")
    except OSError as e:
        return fail(f"{out}: {e}")
    images: list[str] = []
    if args.images:
        try:
            images = [str(p) for p in briefing.write_images(deck, Path(args.images))]
        except Exception as e:  # noqa: BLE001 - the HTML is written; say why images are not
            return fail(f"images not written ({type(e).__name__}: {e}); {out} was written")
    payload = {"year": args.year, "out": str(out), "charts": [s.key for s in deck],
               "bytes": out.stat().st_size, "data_version": h["data_version"],
               "images": images}  # fmt: skip
    text = (
        f"briefing {args.year} ({args.lang}) -> {out}: {len(deck)} charts, "
        f"{out.stat().st_size:,} bytes, data version {h['data_version']}"
        + (f"; {len(images)} image files in {args.images}" if images else "")
    )
    emit(args, payload, text)
    return 0
