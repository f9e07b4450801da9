"""One month's mart rebuild as the history grows from 1 to 10 years of synthetic reports. Not part of pytest.

The history ends with the month rebuilt (March 2024) and grows backwards a year at a time; the reports are
COPYed straight into core.report (with their raw.file lineage) and the legal cases refreshed, untimed. For each
length it times the rebuild of the month's marts exactly as a monthly run does it (stage every mart, run every
check, publish in one transaction; best of three) and prints the ratio of the 10-year time to the 1-year time.
A month reads its own window (the month, the 24 months of the year-to-date comparison, the years since 2019 of
the obstruction table), never the whole history, so the ratio should stay near 1.

    PYTHONPATH=. .venv/bin/python bench/marts.py [--per-month 2000] [--years 1 2 5 10] [--write-readme]

Uses WAREHOUSE_URL's server when set, else the embedded one (.data/bench-warehouse); works in a database of its
own, dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from include.presswatch.warehouse import legal_cases, marts  # noqa: E402
from include.presswatch.warehouse.bulk import copy_rows  # noqa: E402
from include.presswatch.warehouse.migrations import migrate  # noqa: E402
from include.presswatch.warehouse.reference_sync import sync_reference  # noqa: E402
from benchkit import scratch_database, write_readme_section  # noqa: E402

MONTH = dt.date(2024, 3, 1)
# Category mix of the synthetic reports (weights), roughly the service's own: refusals and obstruction lead.
MIX = {
    "refusal_restriction_information": 30, "obstruction_lawful_activity": 12, "threats": 5, "attacks": 2,
    "detentions": 3, "summons_to_authorities": 4, "resource_account_blocking": 4, "accreditation_denial": 2,
    "court_transparency_violation": 3, "misuse_of_image": 2, "civil_claims": 7, "criminal_accusations": 2,
    "administrative_accusations": 2, "official_statement": 2, "legislation": 1,
}
LEGAL = {"civil_claims", "criminal_accusations", "administrative_accusations"}
PERPETRATORS = ["государственный орган", "правоохранительные органы", "local executive body", "state body",
                "государственная организация", "суд", "неизвестно", "коммерческая организация"]
COLUMNS = ("file_id", "sheet", "row_number", "event_date", "region_code", "category_code", "summary", "source",
           "perpetrator_type", "legal_article", "case_ref", "case_stage", "amount_claimed_kzt",
           "appealed_to_police", "sent_to_court", "verdict_for_journalist", "content_hash")


def add_year(conn: psycopg.Connection, year_end: dt.date, per_month: int, regions: list[str], rng: random.Random) -> int:
    """COPY one year of reports: the 12 months ending with ``year_end`` (a first of month)."""
    (file_id,) = conn.execute(
        """INSERT INTO raw.file (source_kind, inbox_path, sha256, size_bytes, status)
           VALUES ('correspondent', %s, %s, 0, 'loaded') RETURNING file_id""",
        (f"bench/{year_end:%Y-%m}.csv", uuid.uuid4().hex),
    ).fetchone()
    categories, weights = zip(*MIX.items())
    rows, row_number = [], 1
    month = year_end
    for _ in range(12):
        for category in rng.choices(categories, weights, k=per_month):
            row_number += 1
            date = month.replace(day=rng.randint(1, 28))
            legal = category in LEGAL
            # One legal report in five is a later stage of a case first reported earlier (not counted again).
            later = legal and rng.random() < 0.2
            case_ref = f"{'old' if later else 'new'}-{file_id}-{row_number}" if legal else None
            rows.append((
                file_id, "", row_number, date, rng.choice(regions), category, f"synthetic report {row_number}",
                "bench", rng.choice(PERPETRATORS), "ГК РК ст. 143" if category == "civil_claims" else None,
                case_ref, ("hearing" if later else "new_claim") if legal else None,
                rng.randint(1, 50) * 100_000 if category == "civil_claims" else None,
                category == "obstruction_lawful_activity" and rng.random() < 0.06, False, False,
                hashlib.sha256(f"{file_id}:{row_number}".encode()).hexdigest(),
            ))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    copy_rows(conn, "core.report", COLUMNS, rows)
    return len(rows)


def rebuild_once(conn: psycopg.Connection, run_id: str) -> float:
    began = time.perf_counter()
    marts.build_stage(conn, MONTH, run_id)
    failures = marts.check_stage(conn, run_id)
    if failures:
        raise SystemExit(f"checks failed: {failures}")
    with conn.transaction():
        marts.publish_in_transaction(conn, MONTH, run_id, [])
    conn.commit()
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-month", type=int, default=2000, help="synthetic reports per month")
    parser.add_argument("--years", type=int, nargs="+", default=[1, 2, 5, 10])
    parser.add_argument("--write-readme", action="store_true", help="record the numbers in bench/README.md")
    args = parser.parse_args()

    rng = random.Random(2024)
    results: list[tuple[int, int, float]] = []
    with scratch_database("presswatch_bench_marts") as url:
        with psycopg.connect(url) as conn:
            migrate(conn)
            sync_reference(conn)
            legal_cases.sync_actor_types(conn)
            conn.commit()
            regions = [r for (r,) in conn.execute("SELECT code FROM ref.region")]
            loaded, total = 0, 0
            for years in sorted(args.years):
                while loaded < years:
                    year_end = MONTH.replace(year=MONTH.year - loaded)
                    total += add_year(conn, year_end, args.per_month, regions, rng)
                    loaded += 1
                legal_cases.refresh(conn)
                conn.commit()
                conn.execute("ANALYZE")
                rebuild_once(conn, f"warm-{years}")  # warm the cache and the plans
                best = min(rebuild_once(conn, f"bench-{years}-{i}") for i in range(3))
                results.append((years, total, best))
                print(f"{years:>3} years  {total:>9,} reports  rebuild of {MONTH:%Y-%m}: {best * 1000:8.1f} ms", flush=True)

    base = next(t for y, _, t in results if y == min(args.years))
    top_years, _, top = max(results)
    ratio = top / base
    print(f"ratio {top_years}y / {min(args.years)}y: {ratio:.2f}")
    if args.write_readme:
        lines = [
            "`PYTHONPATH=. .venv/bin/python bench/marts.py --write-readme` — one month's mart rebuild (stage all marts,",
            f"run all checks, publish; best of 3) for {MONTH:%Y-%m} as the history grows, {args.per_month:,} synthetic",
            "reports per month COPYed into core.report.",
            "",
            "| history | reports | rebuild | vs 1 year |",
            "|---:|---:|---:|---:|",
            *[f"| {y} y | {n:,} | {t * 1000:.0f} ms | {t / base:.2f} |" for y, n, t in results],
            "",
            f"Ratio {top_years} years / {min(args.years)} year: **{ratio:.2f}**. Run on {dt.date.today():%Y-%m-%d}.",
        ]
        write_readme_section("marts", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
