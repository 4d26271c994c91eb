"""TEST AND MEASUREMENT FIXTURE, NOT THE RISK MODEL: fills the `risk` contract table with tiers
from a fixed SQL expression over the targets' factor columns, so that sampling can be tested and
measured before the risk issue (4) lands. Product code never calls this; the engine refuses to
draw while `risk` is empty.

Tier mix, by rank of the fixture score: A 65 %, B 25 %, C 8 %, D 2 % (DOMAIN.md's city mix).

Dev step for full-scale measurements only:
    python -m tests.risk_fixture --db /tmp/issue5-full.duckdb
"""

from __future__ import annotations

import argparse

from core import db

# Cumulative shares of the ranked score: the riskiest 2 % are D, the next 8 % C, 25 % B, rest A.
MIX = {"D": 0.02, "C": 0.10, "B": 0.35}

SCORE_SQL = """
    5.0 * serious_violation::INT + 3.0 * abnormal_list::INT + 3.0 * black_list::INT
    + 2.0 * judgment_defaulter::INT + 2.0 * licence_revoked::INT + 1.5 * yellow_list::INT
    + 1.0 * tax_arrears::INT + 1.0 * social_security_arrears::INT
    + 1.0 * annual_report_overdue::INT + 0.8 * penalties_3y + 0.6 * past_findings
    + 0.4 * complaints_12m + 0.5 * negative_media::INT + 0.3 * legal_rep_changes
    + 0.2 * address_changes + 2.0 * related_penalty_rate + 2.0 * related_abnormal_rate
    - 2.0 * red_list::INT
"""


def assign_fixture_tiers(con: db.Connection) -> dict[str, int]:
    """Replace `risk` with fixture tiers (ties broken by md5 of the code: deterministic)."""
    sql = f"""
        CREATE OR REPLACE TEMP TABLE _fixture_rank AS
        SELECT uscc, ({SCORE_SQL}) AS score,
               percent_rank() OVER (ORDER BY ({SCORE_SQL}) DESC, md5(uscc)) AS pr
        FROM targets
    """
    con.execute(sql)
    with db.transaction(con):
        con.execute("DELETE FROM risk")
        con.execute(
            """
            INSERT INTO risk
            SELECT uscc, score,
                   CASE WHEN pr < $d THEN 'D' WHEN pr < $c THEN 'C' WHEN pr < $b THEN 'B'
                        ELSE 'A' END,
                   ['fixture']
            FROM _fixture_rank
            """,
            {"d": MIX["D"], "c": MIX["C"], "b": MIX["B"]},
        )
        db.bump_data_version(con)
    con.execute("DROP TABLE _fixture_rank")
    return dict(
        con.execute("SELECT tier, count(*) FROM risk GROUP BY tier ORDER BY tier").fetchall()
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    args = p.parse_args()
    con = db.connect(args.db)
    print(assign_fixture_tiers(con))
    con.close()


if __name__ == "__main__":
    main()
