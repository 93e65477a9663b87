"""A ``Table`` as the pages show it: the first column heads each row, numbers in the site's French format.

Each number cell keeps its rounded value next to its text, so tests (and sortable tables) read exactly what is shown.
Each row also carries its cells' HTML, escaped here: a territory page holds some 450 cells, which the template
language renders several times slower (``templates/pages/_table.html`` places the rows).
"""

from html import escape  # Django's, less its lazy-text wrapper: the same text, for ~450 cells a page

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..numbers import format_number
from ..tables import Column, Table


def number_cell(value: float | None, decimals: int) -> dict:
    if value is None:
        return {"text": format_number(None), "value": None}
    return {"text": format_number(value, decimals), "value": round(float(value), decimals)}


def _cell(column: Column, value) -> dict:
    if not column.is_number:
        return {"text": "" if value is None else str(value), "value": None}
    return number_cell(value, column.decimals)


def _row(columns: tuple[Column, ...], values: dict) -> dict:
    label, *others = columns
    heading = values.get(label.key, "")
    cells = [_cell(column, values.get(column.key)) for column in others]
    numbers = "".join(f'<td class="num">{escape(cell["text"])}</td>' for cell in cells)
    html = mark_safe(f'<th scope="row">{conditional_escape(heading)}</th>{numbers}')  # every text escaped above
    return {"label": heading, "cells": cells, "html": html}


def html_table(table: Table) -> dict:
    columns = table.page_columns()
    return {
        "caption": table.caption,
        "head": [table.page_header(column) for column in columns],
        "numeric": [column.is_number for column in columns],
        "rows": [_row(columns, row) for row in table.rows],
        "total": _row(columns, table.total) if table.total else None,
        "note": table.note,
    }
