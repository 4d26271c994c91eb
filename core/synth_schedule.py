"""Synthetic inspections already on the calendar, outside the random-sampling plans: what round 4
(任务整合) of the merge folds visits into. Deterministic for the dataset seed.

Three kinds, each handled by the target's district market-supervision bureau (监管局; the city
bureau for targets without one):
- complaint: a follow-up of 12345 complaints and reports (targets with complaints in 12 months);
- licence: a licence check (licence-kind targets);
- reinspection: a return visit where a past inspection found problems.

The random stream is its own: every choice is the MD5 of f"{seed}|schedule|<purpose>|{uscc}"
read as a fraction, so the schedule does not depend on (or disturb) the numpy streams of
core/synth.py, is stable across DuckDB versions and runs set-based over millions of targets.
"""

from __future__ import annotations

from core.db import Connection

# Share of eligible targets with such an inspection in the year. Tuned so that, with the plans of
# core/synth.py, an independent-mode campaign's four rounds save close to Shenzhen's 22.62 %.
RATES = {"complaint": 0.60, "licence": 0.40, "reinspection": 0.80}
CITY_MS_BUREAU = "440300M01"


def build_schedule(con: Connection, seed: int, year: int) -> int:
    """Fill scheduled_inspections for `year` from the target directory; returns the row count."""
    con.execute(
        """
        INSERT INTO scheduled_inspections
        WITH bureau AS (
            SELECT district, min(dept_code) AS dept_code FROM departments
            WHERE field = '市场监管' AND level = 'district' GROUP BY district
        ),
        eligible AS (   -- three filtered scans, not a join with an OR condition
            SELECT uscc, district, 'complaint' AS kind FROM targets WHERE complaints_12m > 0
            UNION ALL
            SELECT uscc, district, 'licence' FROM targets WHERE kind = 'licence'
            UNION ALL
            SELECT uscc, district, 'reinspection' FROM targets WHERE past_findings > 0
        ),
        wanted AS (
            SELECT t.uscc, t.district, t.kind,
                   concat($seed, '|schedule|', t.kind, '|', t.uscc) AS key,
                   md5_number_upper(key) / 18446744073709551616.0 AS u
            FROM eligible t
        )
        SELECT 'S' || CAST($year AS VARCHAR) || '-' || w.kind || '-' || w.uscc,
               $year, w.uscc, coalesce(b.dept_code, $city), w.kind,
               make_date($year, 1, 1)
                   + CAST(floor(md5_number_lower(w.key) / 18446744073709551616.0 * 365) AS INTEGER)
        FROM wanted w LEFT JOIN bureau b USING (district)
        WHERE w.u < CASE w.kind WHEN 'complaint' THEN $complaint
                                WHEN 'licence' THEN $licence ELSE $reinspection END
        """,
        {
            "seed": str(seed),
            "year": year,
            "city": CITY_MS_BUREAU,
            **RATES,
        },
    )
    rows = con.execute("SELECT count(*) FROM scheduled_inspections WHERE year = ?", [year])
    return int(rows.fetchall()[0][0])
