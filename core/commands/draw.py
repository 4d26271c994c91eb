"""python -m core draw: preview or commit a draw (suicha-prn-sha256-v1) for one plan or the
whole campaign of a year."""

from __future__ import annotations

import argparse
import time

from core import sampling
from core.commands import add_common, emit, fail, open_database
from core.writes import cli_actor

ACTOR = cli_actor()  # the OS user


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draw", help="preview or commit the random draw of targets")
    add_common(p)
    p.add_argument("--year", type=int, required=True, help="campaign year, e.g. 2026")
    p.add_argument("--plan", help="one plan_id (default: every plan of the year)")
    p.add_argument("--secret", help="fix the secret (reproducible runs); default: the campaign's")
    p.add_argument("--beacon", default="", help="the public beacon's value (default empty)")
    p.add_argument("--mode", choices=sampling.MODES, default="coordinated")
    p.add_argument("--commit", action="store_true", help="save the draw (default: preview only)")
    p.add_argument("--reason", help="why a plan that already has a draw is re-drawn")
    p.set_defaults(func=run)


def _summary(draw: sampling.Draw) -> list[dict]:
    by = draw.strata.groupby(["item_class", "tier"])[["frame_size", "quota"]].sum()
    return [
        {"item_class": c, "tier": t, "frame_size": int(r.frame_size), "quota": int(r.quota)}
        for (c, t), r in by.iterrows()
    ]


def run(args: argparse.Namespace) -> int:
    con = open_database(args)
    try:
        sampling.check_ready(con, args.year, args.plan)  # before a campaign is created
        if args.secret is None or args.commit:
            camp = sampling.ensure_campaign(con, args.year, ACTOR, secret=args.secret)
        else:
            camp = sampling.get_campaign(con, args.year)
        started = time.perf_counter()
        if args.commit:
            draw = sampling.commit(
                con, args.year, ACTOR, plan_id=args.plan, secret=args.secret, beacon=args.beacon,
                mode=args.mode, reason=args.reason,
            )  # fmt: skip
        else:
            draw = sampling.preview(
                con, args.year, plan_id=args.plan, secret=args.secret, beacon=args.beacon,
                mode=args.mode,
            )  # fmt: skip
        seconds = round(time.perf_counter() - started, 2)
        draw_ids = draw.draw_ids
    except sampling.DrawRefused as e:
        return fail(str(e))
    finally:
        con.close()
    payload = {
        "year": args.year,
        "plan_id": args.plan,
        "mode": args.mode,
        "algorithm": sampling.ALGORITHM,
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
        "draw_ids": draw_ids,
    }
    if args.plan:
        payload["strata"] = [
            {**{k: (int(v) if k != "tier" else v) for k, v in s.items() if k in (
                "tier", "ratio_bp", "frame_size", "quota")},
             "selected": draw.selections[draw.selections.tier == s["tier"]]["uscc"].tolist()}
            for s in draw.strata.to_dict("records")
        ]  # fmt: skip
    lines = [
        f"campaign {args.year} · {sampling.ALGORITHM} · {args.mode}"
        + (f" · plan {args.plan}" if args.plan else " · every plan"),
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
        f"committed: {len(draw_ids)} draw(s), e.g. {draw_ids[0]}"
        if draw_ids
        else "preview only: nothing saved (add --commit to save)",
    ]
    emit(args, payload, "\n".join(lines))
    return 0
