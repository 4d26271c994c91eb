"""python -m core draw: publish a campaign's commitment notice, preview a draw, or commit one
(suicha-prn-sha256-v1, docs/draw-record.md) for one plan or the whole campaign of a year.

    draw --year Y --publish-commitment --beacon-date D   the notice (secret generated here)
    draw --year Y [--plan P] [--beacon B]                 preview: nothing is written
    draw --year Y --beacon B --commit                     commit under the notice in force
    draw --year Y --secret X [--beacon B] [--beacon-format F] --commit
                                                         a REHEARSAL (never publishable)"""

from __future__ import annotations

import argparse
import time
from datetime import date

from core import db, sampling
from core.commands import add_common, emit, fail, open_database
from core.refusal import Refused
from core.sampling import campaign
from core.writes import attempt, cli_actor


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draw", help="publish the commitment, preview or commit the draw")
    add_common(p)
    p.add_argument("--year", type=int, required=True, help="campaign year, e.g. 2026")
    p.add_argument("--plan", help="one plan_id (default: every plan of the year)")
    p.add_argument("--publish-commitment", action="store_true",
                   help="publish the campaign's commitment notice (before any draw)")  # fmt: skip
    p.add_argument("--beacon-date", help="YYYY-MM-DD: the day the beacon becomes public "
                   "(after today)")  # fmt: skip
    p.add_argument(
        "--beacon-source",
        default=None,
        help="where the beacon is read (default: the SZSE Component Index close)",
    )
    p.add_argument(
        "--beacon-format",
        default=None,
        choices=sorted(sampling.BEACON_FORMATS),
        help=f"the beacon's format (default {sampling.DEFAULT_BEACON_FORMAT})",
    )
    p.add_argument("--secret", help="a given secret: preview with it, or with --commit make a "
                   "REHEARSAL campaign (never publishable as a real draw)")  # fmt: skip
    p.add_argument("--beacon", default="", help="the public beacon's value")
    p.add_argument("--mode", choices=sampling.MODES, default=None)
    p.add_argument("--commit", action="store_true", help="save the draw (default: preview only)")
    p.add_argument("--reason", help="why a plan that already has a draw is re-drawn")
    p.set_defaults(func=run)


def _summary(draw: sampling.Draw) -> list[dict]:
    by = draw.strata.groupby(["item_class", "tier"])[["frame_size", "quota"]].sum()
    return [
        {"item_class": c, "tier": t, "frame_size": int(r.frame_size), "quota": int(r.quota)}
        for (c, t), r in by.iterrows()
    ]


def _parse_date(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise Refused("draw.bad_date", value=value or "") from None


def _beacon(args: argparse.Namespace) -> tuple[str, str]:
    """(source, format) asked for on the command line, the defaults where not given."""
    return (args.beacon_source or sampling.DEFAULT_BEACON_SOURCE,
            args.beacon_format or sampling.DEFAULT_BEACON_FORMAT)  # fmt: skip


def _reusable(camp: sampling.Commitment | None, args: argparse.Namespace, mode: str) -> bool:
    """Is the rehearsal notice in force the one this command asks for: the same secret and
    mode, and the beacon's format and source where they are given?"""
    return (
        camp is not None
        and camp.seed_commitment == sampling.seed_commitment(args.secret)
        and camp.mode == mode
        and args.beacon_format in (None, camp.beacon_format)
        and args.beacon_source in (None, camp.beacon_source)
        and (args.beacon_date is None or str(camp.beacon_date) == args.beacon_date)
    )


def _rehearsal_commitment(con: db.Connection, args: argparse.Namespace, actor: str) -> None:
    """With --secret --commit: reuse the rehearsal notice in force when it is the one asked for,
    else publish one (superseding it) with the given beacon format, source and date; the date
    defaults to the day after today in the campaign's time zone (the notice's clock)."""
    mode = args.mode or "coordinated"
    if _reusable(sampling.commitment_in_force(con, args.year), args, mode):
        return
    when = _parse_date(args.beacon_date) if args.beacon_date else None
    source, fmt = _beacon(args)
    sampling.publish_commitment(
        con, args.year, actor, when or campaign.earliest_beacon_date(),
        beacon_source=source, beacon_format=fmt, mode=mode, secret=args.secret,
    )  # fmt: skip


def _notice(con: db.Connection, args: argparse.Namespace, actor: str) -> int:
    source, fmt = _beacon(args)
    camp = sampling.publish_commitment(
        con, args.year, actor, _parse_date(args.beacon_date), beacon_source=source,
        beacon_format=fmt, mode=args.mode or "coordinated", secret=args.secret,
    )  # fmt: skip
    notice = camp.notice
    text = "\n".join([
        f"commitment notice {camp.commitment_id} published {camp.published_at}"
        + ("  ** REHEARSAL **" if camp.rehearsal else ""),
        f"seed commitment  {camp.seed_commitment}",
        f"beacon           {camp.beacon_source} [{camp.beacon_format}] on {camp.beacon_date}",
        f"plans            {len(notice['plans']):,}",
        f"notice sha256    {camp.notice_sha256}",
    ])  # fmt: skip
    emit(args, notice, text)
    return 0


def run(args: argparse.Namespace) -> int:
    con = open_database(args)
    actor = cli_actor()
    try:
        if args.publish_commitment:
            with attempt(con, actor, "sampling.commitment.publish", {"year": args.year}):
                return _notice(con, args, actor)
        started = time.perf_counter()
        if args.commit:
            # a refusal, in the checks before the write or in it, is recorded once (writes.py)
            detail = {"year": args.year, "plan_id": args.plan, "mode": args.mode,
                      "rehearsal": args.secret is not None}  # fmt: skip
            with attempt(con, actor, "sampling.draw.commit", detail):
                sampling.check_ready(con, args.year, args.plan)
                if args.secret is not None:
                    _rehearsal_commitment(con, args, actor)
                draw = sampling.commit(
                    con, args.year, actor, plan_id=args.plan, secret=args.secret,
                    beacon=args.beacon, mode=args.mode, reason=args.reason,
                )  # fmt: skip
        else:
            sampling.check_ready(con, args.year, args.plan)
            draw = sampling.preview(
                con, args.year, plan_id=args.plan, secret=args.secret, beacon=args.beacon,
                mode=args.mode or "coordinated",
            )  # fmt: skip
        seconds = round(time.perf_counter() - started, 2)
        camp = sampling.commitment_in_force(con, args.year)
    except Refused as e:
        return fail(e.message("en"))
    finally:
        con.close()
    rehearsal = bool(args.secret is not None or (camp and camp.rehearsal))
    payload = {
        "year": args.year,
        "plan_id": args.plan,
        "mode": draw.mode,
        "algorithm": sampling.ALGORITHM,
        "rehearsal": rehearsal,
        "commitment_id": camp.commitment_id if camp else None,
        "seed_commitment": draw.seed_commitment,
        "beacon_source": camp.beacon_source if camp else None,
        "beacon": draw.beacon,
        "seed": draw.seed,
        "plans": int(draw.strata["plan_id"].nunique()),
        "frame_pairs": int(draw.strata["frame_size"].sum()),
        "selected": draw.total_selected,
        "by_class_and_tier": _summary(draw),
        "seconds": seconds,
        "committed": bool(args.commit),
        "draw_ids": draw.draw_ids,
    }
    if args.plan:
        payload["strata"] = [
            {**{k: (int(v) if k != "tier" else v) for k, v in s.items() if k in (
                "tier", "ratio_bp", "frame_size", "quota")},
             "selected": draw.selections[draw.selections.tier == s["tier"]]["uscc"].tolist()}
            for s in draw.strata.to_dict("records")
        ]  # fmt: skip
    lines = [
        f"campaign {args.year} · {sampling.ALGORITHM} · {draw.mode}"
        + (f" · plan {args.plan}" if args.plan else " · every plan")
        + ("  ** REHEARSAL: never publishable as a real draw **" if rehearsal else ""),
        f"seed commitment  {draw.seed_commitment}",
        f"beacon source    {camp.beacon_source if camp else '(secret given on the command line)'}",
        f"beacon           {draw.beacon!r}",
        f"seed S           {draw.seed}",
        f"plans {payload['plans']:,} · frame pairs {payload['frame_pairs']:,} · "
        f"selected {draw.total_selected:,} · {seconds} s",
        "class tier  frame_size     quota",
        *[
            f"  {r['item_class']}    {r['tier']}  {r['frame_size']:>10,} {r['quota']:>9,}"
            for r in payload["by_class_and_tier"]
        ],
        f"committed: {len(draw.draw_ids)} draw(s), e.g. {draw.draw_ids[0]}"
        if draw.draw_ids
        else "preview only: nothing saved (add --commit to save)",
    ]
    emit(args, payload, "\n".join(lines))
    return 0
