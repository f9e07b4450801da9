"""Loading the product's reference data (taxonomy, gazetteer) into the ``ref`` dimension tables."""

from __future__ import annotations

import logging

import psycopg

from ..normalize.reference import gazetteer, taxonomy
from .bulk import upsert_via_copy

log = logging.getLogger(__name__)


def sync_reference(conn: psycopg.Connection) -> dict[str, int]:
    """Insert or update every group, category, region and locality of include/data; returns counts."""
    groups = taxonomy()
    regions, localities = gazetteer()
    with conn.transaction():
        counts = {
            "ref.category_group": upsert_via_copy(
                conn, "ref.category_group", ["code"], ["code", "label_en", "label_ru", "counted", "sort_order"],
                [(g.code, g.label_en, g.label_ru, g.counted, g.sort_order) for g in groups],
            ),
            "ref.category": upsert_via_copy(
                conn, "ref.category", ["code"], ["code", "group_code", "label_en", "label_ru", "sort_order"],
                [(c.code, c.group_code, c.label_en, c.label_ru, c.sort_order) for g in groups for c in g.categories],
            ),
            "ref.region": upsert_via_copy(
                conn, "ref.region", ["code"], ["code", "kind", "name_en", "name_ru", "name_kk", "iso_3166_2"],
                [(r.code, r.kind, r.name_en, r.name_ru, r.name_kk, r.iso_3166_2) for r in regions],
            ),
            "ref.locality": upsert_via_copy(
                conn, "ref.locality", ["code"], ["code", "region_code", "name_en", "name_ru", "name_kk", "is_centre"],
                [(l.code, l.region_code, l.name_en, l.name_ru, l.name_kk, l.is_centre) for l in localities],
            ),
        }
    log.info("reference data synced: %s", ", ".join(f"{n} {t}" for t, n in counts.items()))
    return counts


def known_codes(conn: psycopg.Connection) -> tuple[list[str], dict[str, str]]:
    """Region codes, and category code → group code, as the warehouse knows them."""
    regions = [r for (r,) in conn.execute("SELECT code FROM ref.region ORDER BY code")]
    categories = dict(conn.execute("SELECT code, group_code FROM ref.category").fetchall())
    return regions, categories
