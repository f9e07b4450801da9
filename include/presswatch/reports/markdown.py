"""Rendering a month's draft as Markdown in one language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import jinja2

from .. import __version__
from .draft_data import LEGISLATION_CATEGORIES, STATEMENT_CATEGORIES, DraftData
from .language import Language, load_language, organisation

TEMPLATES = Path(__file__).parent / "templates"


def escape_markdown(value: object) -> str:
    """Correspondents' text as Markdown: no accidental emphasis, headings or tables."""
    text = " ".join(str(value).split())
    for char in "\\`*_[]|<>":
        text = text.replace(char, "\\" + char)
    return text


def table_cell(value: object) -> str:
    return "" if value is None else escape_markdown(value)


def format_amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", "\u00a0")


def place_label(item: dict) -> str:
    """The place a reader knows: the city when known, else the region (cities of republican significance are regions)."""
    if item.get("locality_en"):
        return item["locality_en"]
    if item.get("region_kind") != "region":
        return item["region_en"]
    return item.get("locality_name") or item["region_en"]


def ratio_text(t: Language, current: int, previous: int, previous_has_data: bool, previous_year: int) -> str:
    if not previous_has_data:
        return t.text("ytd_no_previous", previous_year=previous_year)
    if previous == 0 or current == 0:
        return "—"
    ratio = current / previous
    if ratio >= 1.05:
        return t.text("ytd_more", ratio=f"{ratio:.1f}")
    if ratio <= 1 / 1.05:
        return t.text("ytd_less", ratio=f"{previous / current:.1f}")
    return t.text("ytd_same")


def _environment(t: Language) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    env.filters.update(
        md=escape_markdown, cell=table_cell, amount=format_amount, place=place_label,
        day_month=lambda d: f"{t.month(d.month)} {d.day}" if t.code == "en" else f"{d.day} {t.month(d.month)}",
    )
    return env


def render_markdown(data: DraftData, language: str = "en", generated: dt.date | None = None) -> str:
    t = load_language(language)
    label = f"label_{language}" if language in ("en", "ru") else "label_en"
    groups = [dict(g, label=g[label]) for g in data.groups]
    categories = {k: [dict(c, label=c[label]) for c in v] for k, v in data.categories.items()}
    category_label = "category_ru" if language == "ru" else "category_en"

    def labelled(items: list[dict]) -> list[dict]:
        return [dict(i, category_label=i[category_label]) for i in items]

    incidents = sorted(labelled(data.incidents), key=lambda i: (place_label(i), i["event_date"]))
    labels = {g["code"]: g["label"] for g in groups}
    ytd_rows = [
        dict(row, label=labels.get(row["code"], row["code"]),
             change=ratio_text(t, row["current_ytd"], row["previous_ytd"], data.previous_year_has_data,
                               data.month.year - 1))
        for row in data.ytd
    ]
    obstruction_total = {
        key: sum(r[key] for r in data.obstruction_by_year)
        for key in ("reports", "appeals_to_law_enforcement", "sent_to_court", "verdicts_for_journalists")
    }
    template = _environment(t).get_template("monitoring.md.j2")
    return template.render(
        t=t, org=organisation(), data=data, version=__version__, groups=groups, categories=categories,
        new_claims=labelled(data.new_claims),
        generated=(generated or dt.date.today()).isoformat(),
        month_name=t.month(data.month.month), year=data.month.year,
        statement_categories=STATEMENT_CATEGORIES, legislation_categories=LEGISLATION_CATEGORIES,
        obstruction_rows=data.obstruction_by_year, obstruction_total=obstruction_total,
        incidents_by_place=[(place, list(items)) for place, items in groupby(incidents, key=place_label)],
        ytd_rows=ytd_rows,
    )
