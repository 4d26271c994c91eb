"""Suicha (随查): the engine behind a 双随机、一公开 market-supervision dashboard.

Pure Python over DuckDB; never imports streamlit, so the CLI, the pages and the tests share it.
"""
