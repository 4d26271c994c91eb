"""Verify a draw: public, no sign-in. Re-runs a published draw or uploaded files with the very
checks of the standalone verify_draw.py, and checks a secret against its commitment."""

import pandas as pd
import streamlit as st

import ui
from core import verification
from core import verify_draw_standalone as standalone
from core.publication import draws
from core.refusal import Refused
from ui import feedback

st.title(ui.tr("verify.title"))
st.caption(ui.tr("verify.caption"))


def show(result: dict) -> None:
    failed = [c for c in result["checks"] if not c["ok"]]
    if result["ok"]:
        st.success(ui.tr("verify.match"))
    else:
        st.error(ui.tr("verify.mismatch", n=len(failed)))
    # check details quote the files (plan ids, codes, names): a table never interprets them
    table = pd.DataFrame(
        {
            ui.tr("verify.ok"): [ui.tr("verify.pass" if c["ok"] else "verify.fail")
                                 for c in result["checks"]],
            ui.tr("verify.check"): [ui.label("verify.check", c["check"])
                                    for c in result["checks"]],
            ui.tr("col.plan_id"): [c.get("plan") or "" for c in result["checks"]],
            ui.tr("verify.stratum"): [c["stratum"] or "" for c in result["checks"]],
            ui.tr("verify.detail"): [verification.detail(c, ui.lang()) for c in result["checks"]],
        }
    )  # fmt: skip
    ui.table(table, hide_index=True, width="stretch", key="verify_checks")


def refused(e: Exception, heading: str = "verify.cannot") -> None:
    """An input that cannot be verified: a fixed heading, the reason as plain text."""
    st.error(ui.tr(heading))
    st.text(verification.reason(e, ui.lang()))


# labels computed now: a format_func reading the session later (AppTest does) sees no language
sources = {s: ui.tr(f"verify.source.{s}") for s in ("published", "upload", "commitment")}
source = st.radio(ui.tr("verify.source"), list(sources), format_func=sources.get,
                  horizontal=True, key="verify_source")  # fmt: skip

if source == "published":
    draws = ui.query(draws.draw_choices)
    if draws.empty:
        st.info(ui.tr("verify.no_draws"))
    else:
        labels = {r.draw_id: f"{r.plan_id} · {r.plan_name} ({ui.label('merge.mode_short', r.mode)})"
                  for r in draws.itertuples(index=False)}  # fmt: skip
        draw_id = st.selectbox(ui.tr("verify.pick"), list(labels), format_func=labels.get,
                               key="verify_draw")  # fmt: skip
        if st.button(ui.tr("verify.run"), key="verify_published", type="primary"):
            with feedback.working(ui.tr("verify.running")) as step:
                step("verify.step.recompute")
                cur = ui.cursor()
                try:
                    result = verification.verify_published(cur, draw_id)
                    st.session_state["verify_result"] = (draw_id, result)
                except (verification.Unreadable, Refused) as e:
                    st.session_state["verify_result"] = (draw_id, e)
                finally:
                    cur.close()
        shown = st.session_state.get("verify_result")
        if shown and shown[0] == draw_id:
            if isinstance(shown[1], Exception):
                refused(shown[1], "verify.cannot_draw")
            else:
                show(shown[1])
elif source == "upload":
    uploads = st.file_uploader(ui.tr("verify.files"), type=["zip", "json", "txt"],
                               accept_multiple_files=True, key="verify_files")  # fmt: skip
    auditor = st.file_uploader(ui.tr("verify.auditor"), type=["zip"],
                               accept_multiple_files=True, key="verify_auditor")  # fmt: skip
    # the files verified, by their upload ids: the verdict stays on screen until they change
    chosen = tuple(f.file_id for f in [*(uploads or []), *(auditor or [])])
    if not uploads:
        st.info(ui.tr("verify.upload_first"))
    elif st.button(ui.tr("verify.run"), key="verify_upload", type="primary"):
        try:
            with feedback.working(ui.tr("verify.running")) as step:
                step("verify.step.recompute")
                result = verification.verify_uploaded(
                    {f.name: f.getvalue() for f in uploads},
                    {f.name: f.getvalue() for f in auditor or []} or None,
                )
        except (verification.Unreadable, Refused) as e:
            st.session_state["verify_upload_result"] = (chosen, e)
        else:
            st.session_state["verify_upload_result"] = (chosen, result)
    kept = st.session_state.get("verify_upload_result")
    if uploads and kept and kept[0] == chosen:  # outside the status box, which folds away
        if isinstance(kept[1], Exception):
            refused(kept[1])
        else:
            show(kept[1])
else:
    secret = st.text_input(ui.tr("verify.secret"), key="verify_secret")
    commitment = st.text_input(ui.tr("verify.commitment"), key="verify_commitment")
    beacon = st.text_input(ui.tr("verify.beacon"), key="verify_beacon")
    seed = st.text_input(ui.tr("verify.seed"), key="verify_seed")
    if secret and commitment:
        out = verification.check_commitment(secret, commitment, beacon, seed)
        if out["commitment_ok"]:
            st.success(ui.tr("verify.commitment_ok"))
        else:
            st.error(ui.tr("verify.commitment_bad", h=out["commitment"]))
        if "seed_ok" in out:
            if out["seed_ok"]:
                st.success(ui.tr("verify.seed_ok"))
            else:
                st.error(ui.tr("verify.seed_bad", h=out["seed"]))

st.divider()
st.subheader(ui.tr("verify.who"))
st.markdown(ui.tr("verify.who_public"))
st.markdown(ui.tr("verify.who_auditor"))
st.caption(ui.tr("verify.script"))
with open(standalone.__file__, "rb") as f:
    st.download_button(ui.tr("verify.download_script"), f.read(), file_name="verify_draw.py",
                       mime="text/x-python", key="verify_script")  # fmt: skip
