"""Tables on the pages group whole numbers by thousands, as every other figure does."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

SCRIPT = """
import pandas as pd
import ui
ui.table(pd.DataFrame({"部门": ["甲"], "容量": [39660], "年度": [2026], "比例": [0.5],
                       "已配置": [7]}),
         column_config={"已配置": "自定义"})
"""


def test_whole_numbers_are_grouped_and_years_are_not():
    at = AppTest.from_string(SCRIPT).run()
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)  # column name -> its configuration
    assert columns["容量"]["type_config"]["format"] == "localized"
    assert "年度" not in columns and "比例" not in columns
    assert columns["已配置"]["label"] == "自定义"  # the caller's own configuration stands


MISSING = """
import pandas as pd
import ui
ui.table(pd.DataFrame({"计划": ["甲", "乙"], "取代": ["v1", None], "目标": [1200.0, None]}))
"""


def test_missing_cells_do_not_read_none():
    """st.dataframe writes a missing cell "None" (English on a Chinese page) unless told what
    to show: every table says "—", the values themselves untouched (numbers stay numbers)."""
    at = AppTest.from_string(MISSING).run()
    assert not at.exception
    assert at.dataframe[0].proto.placeholder == "—"
    df = at.dataframe[0].value
    assert df["目标"].dtype.kind == "f" and df["取代"].isna().tolist() == [False, True]
