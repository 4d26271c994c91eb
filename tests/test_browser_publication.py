"""Browser test of the one thing AppTest cannot do: upload a record and frame files to Verify."""

from pathlib import Path

from core import db, export, publish
from core import verify_draw_standalone as standalone
from tests import draw_reference as ref
from tests.browser import (
    browser_page,
    click_until,
    copy_db,
    require_chromium,
    streamlit_server,
    wait_until_rendered,
)  # fmt: skip
from tests.test_language import latin_words


def test_verify_uploaded_files_in_a_real_browser(pristine_small, tmp_path):
    require_chromium()
    path = copy_db(pristine_small, tmp_path)
    con = db.connect(path)
    records = ref.commit_draws(con, ref.largest_plans(con, 1))
    publish.publish_year(con, 2026, "admin")
    out = tmp_path / "pub"
    export.write_publication(con, 2026, out)
    con.close()  # the server process needs the file lock
    plan_id, record = next(iter(records.items()))
    frames = [str(out / s["frame_file"]) for s in record["strata"]]
    # a tampered copy of one frame: one code replaced, still sorted
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    first = record["strata"][0]
    lines = (out / first["frame_file"]).read_text(encoding="utf-8").split("\n")
    lines[-1] = "Y" * 18
    (bad_dir / f"{first['tier']}.txt").write_text("\n".join(sorted(lines)), encoding="utf-8")

    def verify(page, url, frame_files, expect):
        page.goto(url)
        wait_until_rendered(page)
        click_until(page, page.get_by_role("link", name="抽取验证"), 'text="验证对象"')
        option = page.locator('[data-testid="stRadioOption"]', has_text="上传记录与抽样框文件")
        click_until(page, option, 'text="请上传公示包或抽取记录。"')
        inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        inputs.nth(0).set_input_files([str(out / "draws" / f"{plan_id}.json"), *frame_files])
        wait_until_rendered(page)
        click_until(page, page.get_by_role("button", name="验证", exact=True), expect)
        assert page.locator('[data-testid="stException"]').count() == 0
        return page.locator('[data-testid="stAlert"]').all_inner_texts()

    with streamlit_server(path) as url, browser_page() as page:
        alerts = verify(page, url, frames, "text=一致:抽取结果可完全重现")
        assert alerts == ["一致:抽取结果可完全重现,与公布名单相同。"]
        page.screenshot(path=str(tmp_path / "verify_upload.png"), full_page=True)
        # one altered frame among the uploads: a mismatch, at that stratum
        others = [f for s, f in zip(record["strata"], frames, strict=True) if s is not first]
        alerts = verify(page, url, [str(bad_dir / f"{first['tier']}.txt"), *others], "text=不一致")
        files = {f"{s['tier']}.txt": (out / s["frame_file"]).read_bytes() for s in record["strata"]}
        files[f"{first['tier']}.txt"] = (bad_dir / f"{first['tier']}.txt").read_bytes()
        expected = standalone.verify_record(record, lambda p: files.get(p.rsplit("/", 1)[-1]))
        failed = [c for c in expected["checks"] if not c["ok"]]
        assert ("frame_sha256", first["tier"]) in {(c["check"], c["stratum"]) for c in failed}
        assert alerts == [f"不一致:{len(failed)} 项检查未通过,见下表。"]
        # the checks as the page's own "Download as CSV" gives them: the details in Chinese
        table = page.locator('[data-testid="stDataFrame"]').first
        table.hover()
        page.evaluate("delete window.showSaveFilePicker")  # the plain download, not a dialog
        with page.expect_download() as download:
            table.locator('button[aria-label="Download as CSV"]').click()
        shown = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert f"`{first['frame_file']}`:摘要为" in shown, shown[:2000]
        english = [w for line in shown.splitlines()[1:] for w in latin_words(line)]
        assert not english, english[:20]
        # a rerun (the R key) keeps the verdict on screen
        page.locator("body").press("r")
        page.wait_for_timeout(1500)
        wait_until_rendered(page)
        assert page.locator('[data-testid="stAlert"]').all_inner_texts() == alerts
