"""Fixtures of the page tests: the session database (territories + both bundled releases) and an HTML reader."""

import re
from html.parser import HTMLParser

from django.db.models import Sum

from indicators.measures import TOTAL
from indicators.models import IndicatorValue


def _squeeze(text: str) -> str:
    """Collapse layout whitespace, keeping the (narrow) no-break spaces inside figures."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


class _Tables(HTMLParser):
    """Collects every <table> as caption → rows of cell texts (header and data cells alike)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows, self._caption, self._cell, self._in_caption = None, "", None, False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self._rows is not None:
            self.tables[_squeeze(self._caption)] = self._rows
            self._rows = None
        elif tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(_squeeze("".join(self._cell)))
            self._cell = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell.append(data)


def read_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def parse_number(text: str) -> float:
    """A French figure as the pages write it ("−1 234,5") back to a float."""
    return float(text.replace("\u2212", "-").replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


def stored(release, territory, measure, land_use=None, detail=None) -> float:
    """Sum of the stored figures (all land uses unless one is named; missing rows are zeros)."""
    rows = IndicatorValue.objects.filter(release=release, territory=territory, measure=measure)
    if land_use is not None:
        rows = rows.filter(land_use=land_use)
    else:
        rows = rows.exclude(land_use=TOTAL)
    if detail is not None:
        rows = rows.filter(detail=detail)
    return rows.aggregate(total=Sum("value"))["total"] or 0.0


def stored_total(release, territory, measure) -> float:
    """The stored territory total row, or the sum of the land uses when the engine stores none."""
    row = IndicatorValue.objects.filter(
        release=release, territory=territory, measure=measure, land_use=TOTAL, detail=""
    ).first()
    if row:
        return row.value
    if measure == "stock_hectare":  # ALDO: total stock over total area
        return stored_total(release, territory, "stock") / stored_total(release, territory, "surface")
    return stored(release, territory, measure)
