"""Charts of a month's draft as PNG bytes: reports by group over twelve months, reports by region.

The same data gives the same bytes (fixed size, fonts bundled with matplotlib, no software or date
metadata), so an unchanged re-run produces identical files and no new version.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap

from .draft_data import DraftData
from .language import Language

# Colour-blind-safe palette (Okabe–Ito), one colour per counted group in the overview's order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
FIGURE_SIZE = (8.0, 4.5)
DPI = 120


def months_ending(month: dt.date, count: int = 12) -> list[dt.date]:
    months = [month]
    while len(months) < count:
        first = months[0]
        months.insert(0, (first - dt.timedelta(days=1)).replace(day=1))
    return months


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _figure():
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    # A Figure without pyplot: no global state shared between drafts or threads.
    return Figure(figsize=FIGURE_SIZE, layout="constrained")


def groups_chart(data: DraftData, t: Language, group_labels: dict[str, str]) -> bytes:
    """Stacked bars: counted reports per group for each of the twelve months ending with ``data.month``."""
    months = months_ending(data.month)
    counts = {(row["month"], row["group_code"]): row["reports"] for row in data.group_history}
    codes = [g["code"] for g in data.groups]
    figure = _figure()
    axes = figure.add_subplot()
    positions = range(len(months))
    bottom = [0] * len(months)
    for index, code in enumerate(codes):
        values = [counts.get((m, code), 0) for m in months]
        axes.bar(positions, values, bottom=bottom, color=PALETTE[index % len(PALETTE)], width=0.7,
                 label="\n".join(textwrap.wrap(group_labels.get(code, code), 60)))
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(list(positions), [f"{m:%m.%Y}" for m in months], rotation=45, ha="right", fontsize=8)
    axes.set_ylabel(t.text("charts.reports_axis"))
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(t.text("charts.groups_12_months", first=f"{months[0]:%m.%Y}", last=f"{months[-1]:%m.%Y}"),
                   fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    if codes:
        axes.legend(loc="upper left", fontsize=7, frameon=False)
    return _png(figure)


def regions_chart(data: DraftData, t: Language, region_label: str) -> bytes:
    """Horizontal bars: counted reports per region this month, largest first."""
    rows = sorted(data.regions, key=lambda r: (-r["reports"], r[region_label] or ""))
    figure = _figure()
    axes = figure.add_subplot()
    values = t.month_values(data.month)
    axes.set_title(t.text("charts.regions", **values), fontsize=11)
    if rows:
        names = [r.get(region_label) or r["name_en"] for r in rows][::-1]
        counts = [r["reports"] for r in rows][::-1]
        bars = axes.barh(range(len(rows)), counts, color=PALETTE[0], height=0.7)
        axes.bar_label(bars, fontsize=8, padding=2)
        axes.set_yticks(range(len(rows)), names, fontsize=8)
        axes.set_xlabel(t.text("charts.reports_axis"))
        axes.xaxis.get_major_locator().set_params(integer=True)
    else:
        axes.text(0.5, 0.5, t.text("charts.no_reports"), ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)
