"""Rendering a month's draft as Markdown in one language (the Word draft is built from this text)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import jinja2
import yaml

from .. import __version__, settings
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


def rounded_ratio(value) -> Decimal | int:
    """A ratio as the draft prints it: one decimal, a whole number without one ('2', '1.5')."""
    ratio = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return int(ratio) if ratio == ratio.to_integral_value() else ratio


def comparison(current: int, previous: int, ratio=None, previous_has_data: bool = True) -> tuple[str, Decimal | int | None]:
    """How ``current`` compares with ``previous``: 'no_data', 'none' (both zero), 'none_before', 'none_now',
    'more', 'less' or 'same', with the ratio to print ('more': current/previous, 'less': previous/current).
    ``ratio`` is the mart's current/previous when it has one."""
    if not previous_has_data:
        return "no_data", None
    if not current and not previous:
        return "none", None
    if not previous:
        return "none_before", None
    if not current:
        return "none_now", None
    more = rounded_ratio(ratio if ratio is not None else Decimal(current) / Decimal(previous))
    if more > 1:
        return "more", more
    less = rounded_ratio(Decimal(previous) / Decimal(current))
    if less > 1:
        return "less", less
    return "same", None


def ratio_text(t: Language, current: int, previous: int, previous_has_data: bool = True,
               previous_year: int | None = None, ratio=None) -> str:
    """'1.5 times more', 'в 2 раза меньше', 'the same', '—' (nothing to compare), 'no data for 2023'."""
    kind, value = comparison(current, previous, ratio, previous_has_data)
    if kind == "no_data":
        return t.text("ytd_no_previous", previous_year=previous_year)
    if kind in ("more", "less"):
        return t.text(f"ytd_{kind}", ratio=t.number(value, 0 if isinstance(value, int) else 1),
                      times=t.form("times", value))
    if kind == "same":
        return t.text("ytd_same")
    return "—"


def compared_cell(t: Language, current: int, previous: int, ratio, previous_has_data: bool = True,
                  previous_year: int | None = None) -> str:
    """A table cell comparing the month with an earlier one: the earlier count and how the month compares
    ('5 (1.4 times more)'); only 'no data' when there is none for that year."""
    if not previous_has_data:
        return t.text("ytd_no_previous", previous_year=previous_year)
    change = ratio_text(t, current, previous, ratio=ratio)
    return t.number(previous) if change == "—" else t.text("ytd_table.compared", count=t.number(previous), change=change)


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


# Keys that make a language what it is: never borrowed from another language's file.
OWN_KEYS = frozenset({"language", "name", "locale", "script", "other_script_markers", "numbers", "months",
                      "day_month", "amount"})
FALLBACK_LANGUAGE = "en"
REFUSALS_CATEGORY = "refusal_restriction_information"


def _merge(own: dict, fallback: dict) -> dict:
    merged = dict(fallback)
    for key, value in own.items():
        other = merged.get(key)
        # Plural forms ({one: …, other: …}) are a language's own: never mixed with another language's.
        if isinstance(value, dict) and isinstance(other, dict) and "other" not in value and "other" not in other:
            merged[key] = _merge(value, other)
        else:
            merged[key] = value
    return merged


def with_fallback(t: Language) -> Language:
    """``t`` with the English boilerplate standing in for any phrase its file does not have yet, so a
    language file written before a section existed still renders a whole draft."""
    if t.code == FALLBACK_LANGUAGE:
        return t
    english = load_language(FALLBACK_LANGUAGE).strings
    return Language(t.code, _merge(t.strings, {k: v for k, v in english.items() if k not in OWN_KEYS}))


def period_values(t: Language, month: dt.date) -> dict:
    """``month_values`` plus {month_instrumental} ('с февралём'; the nominative where a language has no such case)."""
    return dict(t.month_values(month), month_instrumental=t.month(month.month, "instrumental"))


@lru_cache(maxsize=None)
def _actor_types(path: str) -> dict:
    file = Path(path)
    if not file.exists():
        return {}
    return {a["code"]: a for a in yaml.safe_load(file.read_text(encoding="utf-8")).get("types", [])}


def actor_label(code: str | None, language: str) -> str:
    """Label of a kind of actor (include/data/actor_types.yaml), English where the language has none."""
    actor = _actor_types(str(settings.DATA_DIR / "actor_types.yaml")).get(code or "")
    return (actor.get(language) or actor.get("en") or "") if actor else ""


def lower_first(text: str) -> str:
    """A label inside a sentence: 'State bodies' → 'state bodies' (an abbreviation such as 'AdmC' is kept)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def article_label(t: Language, normalized: str | None, as_written: str | None = None) -> str:
    """A normalized article in the draft's language ('CivC 143' → 'ст. 143 ГК РК'), else as written."""
    if not normalized:
        return as_written or ""
    code, _, number = normalized.partition(" ")
    if number and t.has(f"law_codes.{code}") and t.has("article_format"):
        return t.text("article_format", code=t.text(f"law_codes.{code}"), number=number)
    return normalized


def _keyed(t: Language, section: str, code: str | None, default: str = "") -> str:
    """``section.code`` of the language file, else ``default``, else the code itself, readable."""
    if code and t.has(f"{section}.{code}"):
        return t.text(f"{section}.{code}")
    return default or (code or "").replace("_", " ")


def ytd_period(t: Language, month: dt.date, values: dict | None = None) -> str:
    values = values or t.month_values(month)
    return t.text("ytd_claims.period_january" if month.month == 1 else "ytd_claims.period", **values)


def claims_year_to_date(t: Language, data: DraftData) -> list[str]:
    """One sentence per kind of legal claim: this year's count so far against the same months a year earlier."""
    values = t.month_values(data.month)
    period = ytd_period(t, data.month, values)
    sentences = []
    for row in data.ytd_categories:
        if row["group_code"] != "legal_claims" or not (row["current_ytd"] or row["previous_ytd"]):
            continue
        kind, ratio = comparison(row["current_ytd"], row["previous_ytd"], row["ratio"], data.previous_year_has_data)
        sentences.append(t.text(
            f"ytd_claims.{kind}",
            label=escape_markdown(_keyed(t, "ytd_claims.labels", row["code"], localized(row, "label", t.code))),
            count=t.number(row["current_ytd"]), previous=t.number(row["previous_ytd"]), period=period,
            previous_year=data.month.year - 1,
            ratio="" if ratio is None else t.number(ratio, 0 if isinstance(ratio, int) else 1),
            times="" if ratio is None else t.form("times", ratio),
        ))
    return sentences


def refusals_sentence(t: Language, data: DraftData, groups: list[dict]) -> str:
    """The month's refusals of information by who refused, with the share of state bodies, law enforcement
    and state-affiliated organisations ('…, including 9 cases of refusal …: state bodies — 6, …')."""
    share = data.refusals_state_share
    if share is None:
        return ""
    refusals = sum(r["reports"] for r in data.refusals_by_perpetrator)
    group_code = next((c["group_code"] for cs in data.categories.values() for c in cs
                       if c["code"] == REFUSALS_CATEGORY), "access_dissemination")
    group = next((g for g in groups if g["code"] == group_code), None)
    breakdown = t.text("refusals.separator").join(
        t.text("refusals.item", label=escape_markdown(lower_first(localized(r, "label", t.code))),
               count=t.number(r["reports"]))
        for r in data.refusals_by_perpetrator
    )
    return t.text(
        "refusals.sentence", group=escape_markdown(group["label"]) if group else "", group_total=t.counted("report", group["reports"] if group else 0),
        count=t.number(refusals), cases=t.plural("case", refusals), breakdown=breakdown,
        share=t.text("percent", value=t.number(Decimal(str(share)) * 100, 0)),
    )


def ytd_amount_described(data: DraftData, new_claims: list[dict]):
    """The year's amount claimed so far (mart.monthly_legal_claims) without what this month's confidential
    claims ask: the mart adds up every counted claim, the draft never gives a confidential claim's amount
    (the month's total less the claims the draft lists). Earlier months' confidential claims stay in the sum,
    among the other claims of the year."""
    month_total = sum((r["amount_claimed_kzt"] or 0 for r in data.legal_claims_by_article), Decimal(0))
    described = sum((c["amount_claimed_kzt"] or 0 for c in new_claims), Decimal(0))
    return data.ytd_amount_claimed_kzt - max(Decimal(0), month_total - described)


def _place_of(items: list[dict], case_ref: str | None, event_date: dt.date, counted: bool) -> str:
    for item in items:
        if item["case_ref"] == case_ref and item["event_date"] == event_date and item["counted"] == counted:
            return item["place"]
    return next((i["place"] for i in items if i["case_ref"] == case_ref and case_ref), "")


def new_claims_rows(t: Language, data: DraftData, items: list[dict]) -> list[dict]:
    """The month's new legal claims: the cases (core.legal_case) first reported this month, and any counted
    claim without a case number, as the reports give them."""
    rows = []
    for case in data.new_legal_cases:
        rows.append({
            "event_date": case["event_date"], "place": _place_of(items, case["case_ref"], case["event_date"], True),
            "kind": _keyed(t, "legal_kinds", case["kind"]),
            "plaintiff": case["plaintiff"] or actor_label(case["plaintiff_type"], t.code),
            "outlet": case["outlet"] or case["journalist"],
            "article": article_label(t, case["article_normalized"], case["legal_article"]),
            "amount_claimed_kzt": case["amount_claimed_kzt"],
        })
    known = {c["case_ref"] for c in data.new_legal_cases}
    for item in items:
        if item["counted"] and item["case_ref"] not in known:
            rows.append({
                "event_date": item["event_date"], "place": item["place"], "kind": item["category_label"],
                "plaintiff": item["plaintiff"], "outlet": item["outlet"], "article": item["legal_article"] or "",
                "amount_claimed_kzt": item["amount_claimed_kzt"],
            })
    return sorted(rows, key=lambda r: r["event_date"])


def case_update_rows(t: Language, data: DraftData, items: list[dict]) -> list[dict]:
    """Reports on cases under way: the case's first month, its stage and outcome now, the summary."""
    rows = []
    for case in data.ongoing_cases:
        details = [_keyed(t, "case_stages", case["stage"])] if case["stage"] else []
        if case["outcome"]:
            details.append(_keyed(t, "case_outcomes", case["outcome"]))
        if case["court"]:
            details.append(redact_contacts(case["court"], organisation_contacts()))
        if case["amount_awarded_kzt"] is not None:
            details.append(t.text("case_update.awarded", amount=t.amount(case["amount_awarded_kzt"])))
        first = case["first_reported_month"]
        reference = t.text("case_update.first_reported", case_ref=escape_markdown(case["case_ref"]),
                           **t.month_values(first)) if first else escape_markdown(case["case_ref"])
        place = _place_of(items, case["case_ref"], case["event_date"], False)
        rows.append({
            "event_date": case["event_date"], "place": place, "reference": reference,
            "details": escape_markdown(", ".join(d for d in details if d)),
            "text": summary_markdown(t, case["summary"]),
        })
    known = {c["case_ref"] for c in data.ongoing_cases}
    for item in items:
        if not item["counted"] and item["case_ref"] not in known:
            rows.append({"event_date": item["event_date"], "place": item["place"],
                         "reference": escape_markdown(item["case_ref"] or ""), "details": "", "text": item["text"]})
    return sorted(rows, key=lambda r: r["event_date"])


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
    t = with_fallback(load_language(language))
    groups = [dict(g, label=localized(g, "label", language)) for g in data.groups]
    categories = {k: [dict(c, label=localized(c, "label", language)) for c in v] for k, v in data.categories.items()}
    incidents = sorted(_items(t, data.incidents), key=lambda i: (i["place"], i["event_date"]))
    labels = {g["code"]: g["label"] for g in groups}
    previous_month = (data.month - dt.timedelta(days=1)).replace(day=1)
    last_year = data.month.replace(year=data.month.year - 1)
    ytd_rows = [
        dict(row, label=labels.get(row["code"], row["code"]),
             change=ratio_text(t, row["current_ytd"], row["previous_ytd"], data.previous_year_has_data,
                               data.month.year - 1, row.get("ratio")),
             vs_previous_month=compared_cell(t, row["month_reports"], row["prev_month_reports"], row["month_on_month_ratio"]),
             vs_last_year=compared_cell(t, row["month_reports"], row["same_month_last_year_reports"],
                                        row["year_on_year_ratio"], data.previous_year_has_data, data.month.year - 1))
        for row in data.ytd
    ]
    obstruction_total = {
        key: sum(r[key] for r in data.obstruction_by_year)
        for key in ("reports", "appeals_to_law_enforcement", "sent_to_court", "verdicts_for_journalists")
    }
    legal_items = _items(t, [i for i in data.items if i["group_code"] == "legal_claims"])
    new_claims = new_claims_rows(t, data, legal_items)
    total = sum(g["reports"] for g in data.groups)
    months = months_ending(data.month)
    captions = {
        "groups": t.text("charts.groups_12_months", first=f"{months[0]:%m.%Y}", last=f"{months[-1]:%m.%Y}"),
        "regions": t.text("charts.regions", **t.month_values(data.month)),
    }
    if isinstance(generated, dt.date):
        generated = generated.isoformat()
    template = _environment(t).get_template("monitoring.md.j2")
    claims_by_article = [r for r in data.legal_claims_by_article if r["ytd_new_cases"]]
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
        claims_amount=t.amount(sum(c["amount_claimed_kzt"] or 0 for c in new_claims)),
        case_updates=case_update_rows(t, data, legal_items),
        ytd_rows=ytd_rows,
        previous_month=period_values(t, previous_month), last_year=period_values(t, last_year),
        refusals=refusals_sentence(t, data, groups),
        claims_ytd=claims_year_to_date(t, data),
        claims_ytd_period=ytd_period(t, data.month),
        claims_ytd_amount=t.amount(ytd_amount_described(data, new_claims)) if data.legal_claims_by_article else "",
        claims_by_article=t.text("ytd_claims.separator").join(
            t.text("ytd_claims.article", article=escape_markdown(article_label(t, r["article"])) if r["article"]
                   else t.text("ytd_claims.no_article"),
                   count=t.number(r["ytd_new_cases"]))
            for r in claims_by_article),
    )
