"""Registry text is data: before a name from the data goes into Markdown (st.markdown, st.error,
labels), every character Markdown or HTML could act on is escaped, so `**bold**`, links, images
and tags show literally. Prefer components that do not interpret text (st.text, st.dataframe,
st.code); use `md` where a sentence mixes our labels with data."""

from __future__ import annotations

import re

# CommonMark lets any ASCII punctuation be backslash-escaped; $ and ~ matter to Streamlit too.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&\"'=^%@/])")


def md(value: object) -> str:
    """`value` as Markdown that renders as exactly its text (one line: newlines become spaces)."""
    text = "" if value is None else str(value)
    text = re.sub(r"[\r\n\t\f\v]+", " ", text)
    return _SPECIAL.sub(r"\\\1", text)
