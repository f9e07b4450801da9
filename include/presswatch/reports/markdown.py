"""Rendering a month's draft as Markdown in one language (the Word draft is built from this text)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from pathlib import Path

import jinja2

from .. import __version__
from .charts import months_ending
from .draft_data import LEGISLATION_CATEGORIES, STATEMENT_CATEGORIES, DraftData
from .language import Language, load_language, organisation
from .privacy import redact_contacts

TEMPLATES = Path(__file__).parent / "templates"
# Stands in for the generation date while a draft's content is compared with the previous version.
GENERATED_PLACEHOLDER = "@@GENERATED@@"


def escape_markdown(value: object) -> str:
    """Correspondents' text as Markdown: no accidental emphasis, headings or tables."""
    text = " ".join(str(value).split())
    for char in "\\`*_[]|<>":
        text = text.replace(char, "\\" + char)
    return text


def table_cell(value: object) -> str:
    return "" if value is None else escape_markdown(value)


def organisation_contacts() -> tuple[str, ...]:
    """The organisation's own addresses and numbers: the only contacts a draft may print."""
    return tuple(str(v).lower() for v in (organisation().get("contacts") or {}).values())


def localized(row: dict, prefix: str, language: str) -> str:
    """``row[prefix_<language>]``, else the English one (a new language needs no new columns)."""
    return row.get(f"{prefix}_{language}") or row.get(f"{prefix}_en") or ""


def place_label(item: dict, language: str = "en") -> str:
    """The place a reader knows: the city when known, else the region (cities of republican significance are regions)."""
    locality = localized(item, "locality", language)
    if locality:
        return locality
    if item.get("region_kind") != "region":
        return localized(item, "region", language)
    return item.get("locality_name") or localized(item, "region", language)


def ratio_text(t: Language, current: int, previous: int, previous_has_data: bool, previous_year: int) -> str:
    if not previous_has_data:
        return t.text("ytd_no_previous", previous_year=previous_year)
    if previous == 0 or current == 0:
        return "—"
    ratio = current / previous
    if ratio >= 1.05:
        return t.text("ytd_more", ratio=t.number(ratio, 1))
    if ratio <= 1 / 1.05:
        return t.text("ytd_less", ratio=t.number(previous / current, 1))
    return t.text("ytd_same")


def summary_text(t: Language, summary: str) -> str:
    """A correspondent's summary as the draft prints it: contacts cut, marked when in another script."""
    text = redact_contacts(summary, organisation_contacts())
    marker = t.foreign_marker(text)
    return f"{marker} {text}" if marker else text


def summary_markdown(t: Language, summary: str) -> str:
    """``summary_text`` as Markdown: the summary escaped, the marker (ours) left readable."""
    text = redact_contacts(summary, organisation_contacts())
    marker = t.foreign_marker(text)
    return f"{marker} {escape_markdown(text)}" if marker else escape_markdown(text)


def _environment(t: Language) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    allowed = organisation_contacts()
    env.filters.update(
        md=escape_markdown, cell=table_cell, number=t.number, amount=t.amount, day_month=t.day_month,
        place=lambda item: place_label(item, t.code),
        redact=lambda value: redact_contacts(None if value is None else str(value), allowed),
    )
    return env


def _items(t: Language, items: list[dict]) -> list[dict]:
    return [
        dict(i, category_label=localized(i, "category", t.code), place=place_label(i, t.code),
             text=summary_markdown(t, i["summary"]))
        for i in items
    ]


def render_markdown(data: DraftData, language: str = "en", generated: dt.date | str | None = None,
                    charts: dict[str, str] | None = None, draft_version: int | str = "—") -> str:
    """The draft in ``language``; ``charts`` maps 'groups'/'regions' to image files beside the draft."""
    t = load_language(language)
    groups = [dict(g, label=localized(g, "label", language)) for g in data.groups]
    categories = {k: [dict(c, label=localized(c, "label", language)) for c in v] for k, v in data.categories.items()}
    incidents = sorted(_items(t, data.incidents), key=lambda i: (i["place"], i["event_date"]))
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
    new_claims = _items(t, data.new_claims)
    total = sum(g["reports"] for g in data.groups)
    months = months_ending(data.month)
    captions = {
        "groups": t.text("charts.groups_12_months", first=f"{months[0]:%m.%Y}", last=f"{months[-1]:%m.%Y}"),
        "regions": t.text("charts.regions", **t.month_values(data.month)),
    }
    if isinstance(generated, dt.date):
        generated = generated.isoformat()
    template = _environment(t).get_template("monitoring.md.j2")
    return template.render(
        t=t, org=organisation(), data=data, version=__version__, draft_version=draft_version,
        groups=groups, categories=categories, period=t.month_values(data.month),
        total=t.counted("report", total),
        generated=generated or dt.date.today().isoformat(), charts={k: {"file": v, "caption": captions[k]} for k, v in (charts or {}).items()},
        statements=_items(t, data.items_in(STATEMENT_CATEGORIES)),
        legislation=_items(t, data.items_in(LEGISLATION_CATEGORIES)),
        obstruction_rows=data.obstruction_by_year, obstruction_total=obstruction_total,
        incidents_by_place=[(place, list(items)) for place, items in groupby(incidents, key=lambda i: i["place"])],
        new_claims=new_claims,
        claims_amount=t.amount(sum(i["amount_claimed_kzt"] or 0 for i in new_claims)),
        case_updates=_items(t, data.case_updates),
        ytd_rows=ytd_rows,
    )
