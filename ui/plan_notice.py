"""A published plan notice shown as a readable notice: labelled fields in the user's language.

Only what the stored notice carries is shown (core/publish.py's allow-lists decide what is
public); the raw JSON stays available behind an expander and as a download."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

import ui
from ui import known_text
from ui.safe_text import md


def _names(values: list[str] | None, domain: str | None = None) -> str:
    """A frame filter in words; None means the plan does not filter on that field."""
    if values is None:
        return ui.tr("notice.frame.any")
    return "、".join(ui.label(domain, v) if domain else str(v) for v in values)


# Every value below is data (names from the registries, codes): `_lines` escapes it before it
# meets Markdown, so a plan called `**x**` or `![x](http://e/x.png)` shows as those characters.


def frame_lines(frame: dict[str, Any]) -> list[tuple[str, str]]:
    """The plan's sampling frame described field by field."""
    industries = frame.get("industries")
    if industries is not None:
        industries = [f"{i['code']} {i['name']}" for i in industries]
    return [
        (ui.tr("notice.frame.kinds"), _names(frame.get("kinds"), "kind")),
        (ui.tr("notice.frame.industries"), _names(industries)),
        (ui.tr("notice.frame.districts"), _names(frame.get("districts"))),
        (ui.tr("notice.frame.streets"), _names(frame.get("streets"))),
    ]


def notice_fields(notice: dict[str, Any]) -> list[tuple[str, str]]:
    """The headline fields of a plan notice as (label, value) pairs."""
    lead = notice.get("lead_dept") or {}
    members = [d for d in notice.get("departments", []) if d.get("role") != "lead"]
    fields = [
        (ui.tr("col.plan_id"), notice["plan_id"]),
        (ui.tr("notice.kind"), ui.label("plan_kind", notice["kind"])),
        (ui.tr("col.item_class"), ui.label("item_class", notice["item_class"])),
        (ui.tr("col.level"), ui.label("level", notice["level"])),
        (ui.tr("col.lead_dept"), f"{lead.get('name')}({lead.get('code')})"),
    ]
    if members:
        fields.append(
            (ui.tr("notice.members"), "、".join(f"{d['name']}({d['code']})" for d in members))
        )
    fields.append((ui.tr("col.period"), f"{notice['period_start']} – {notice['period_end']}"))
    draw = notice.get("draw")
    if draw:
        fields.append((ui.tr("col.quota"), ui.fmt_int(draw["total_quota"])))
    return fields


def _lines(pairs: list[tuple[str, str]]) -> str:
    return "  \n".join(f"**{md(k)}**: {md(v)}" for k, v in pairs)


def render(notice: dict[str, Any]) -> None:
    """Draw one plan notice: fields, frame, items, quotas, commitment; raw JSON on request."""
    st.markdown(f"#### {md(notice['name'])}")
    st.markdown(_lines(notice_fields(notice)))
    st.markdown(f"**{ui.tr('notice.frame')}**  \n" + _lines(frame_lines(notice["frame"])))
    items = pd.DataFrame(notice.get("items", []))
    st.markdown(f"**{ui.tr('notice.items', n=ui.fmt_int(len(items)))}**")
    if not items.empty:
        items = ui.labelled(items, item_class="item_class", method="method")
        ui.table(
            items[["item_code", "name", "item_class", "method", "legal_basis", "subject"]].rename(
                columns={"item_code": ui.tr("notice.item_code"), "name": ui.tr("col.item"),
                         "item_class": ui.tr("col.item_class"), "method": ui.tr("notice.method"),
                         "legal_basis": ui.tr("notice.legal_basis"),
                         "subject": ui.tr("notice.subject")}
            ),
            hide_index=True, width="stretch", key="public_notice_items",
        )  # fmt: skip
    draw = notice.get("draw")
    if draw:
        st.markdown(
            f"**{ui.tr('notice.quotas')}** · {ui.tr('notice.committed_at')} "
            f"{md(known_text.local_time(draw['committed_at']))}"
        )
        columns = ["stratum", "frame_size", "ratio_bp", "quota"]
        strata = pd.DataFrame(draw["strata"], columns=columns)
        strata = strata.assign(ratio=[f"{bp / 100:g} %" for bp in strata["ratio_bp"]])
        ui.table(
            strata[["stratum", "frame_size", "ratio", "quota"]].rename(
                columns={"stratum": ui.tr("notice.stratum"),
                         "frame_size": ui.tr("notice.frame_size"),
                         "ratio": ui.tr("notice.ratio"), "quota": ui.tr("col.quota")}
            ),
            hide_index=True, key="public_notice_strata",
        )  # fmt: skip
    else:
        st.caption(ui.tr("notice.not_drawn"))
    campaign = notice.get("campaign")
    if campaign:
        st.markdown(
            _lines(
                [
                    (ui.tr("public.commitment"), campaign["seed_commitment"]),
                    (
                        ui.tr("public.beacon_source"),
                        known_text.beacon_source(campaign["beacon_source"]),
                    ),
                ]
            )
        )
    text = json.dumps(notice, ensure_ascii=False, indent=2)
    with st.expander(ui.tr("notice.raw")):
        st.json(notice, expanded=False)
    st.download_button(
        ui.tr("notice.download"), text.encode(), file_name=f"{notice['plan_id']}.json",
        mime="application/json", key="public_notice_json",
    )  # fmt: skip
