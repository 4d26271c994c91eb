"""Shared fixtures: one demo-scale database built per test session and copied per user, so
each test (and each streamlit server) owns its file; DuckDB locks a file to one process."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core import db
from core.bootstrap import build_database

ROOT = Path(__file__).resolve().parent.parent
DEMO_SEED = 2022


@pytest.fixture(scope="session")
def pristine_demo(tmp_path_factory) -> Path:
    """The demo dataset (200,000 targets), built once; never opened after the build."""
    path = tmp_path_factory.mktemp("pristine") / "demo.duckdb"
    build_database(path, "demo", seed=DEMO_SEED)
    return path


@pytest.fixture(scope="session")
def pristine_small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pristine") / "small.duckdb"
    build_database(path, 5_000, seed=DEMO_SEED)
    return path


def _copy(src: Path, dst_dir: Path) -> Path:
    dst = dst_dir / src.name
    shutil.copy(src, dst)
    return dst


def connected_copy(src: Path, dst_dir: Path):
    """A fixture's body: a copy of `src` in `dst_dir`, open for the test, closed after it
    (`yield from connected_copy(...)`)."""
    con = db.connect(_copy(src, dst_dir))
    yield con
    con.close()


@pytest.fixture(scope="module")
def demo_path(pristine_demo, tmp_path_factory) -> Path:
    return _copy(pristine_demo, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo_con(demo_path):
    con = db.connect(demo_path)
    yield con
    con.close()


@pytest.fixture
def small_path(pristine_small, tmp_path) -> Path:
    return _copy(pristine_small, tmp_path)


@pytest.fixture
def small_con(small_path):
    con = db.connect(small_path)
    yield con
    con.close()


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at a database and start every AppTest with empty Streamlit caches."""
    import streamlit as st

    def use(path: Path) -> None:
        monkeypatch.setenv("SUICHA_DB", str(path))
        st.cache_data.clear()
        st.cache_resource.clear()

    yield use
    st.cache_data.clear()
    st.cache_resource.clear()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"
