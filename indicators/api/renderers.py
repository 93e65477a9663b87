"""CSV for ``?format=csv``: one row per item of a list (or of a page's ``results``), for scripts and notebooks.

RFC 4180 (comma separator, dot decimal, UTF-8 without BOM), unlike the downloads made for French Excel.
Text cells that a spreadsheet could run as formulas are prefixed with an apostrophe.
"""

import csv
import io

from rest_framework.renderers import BaseRenderer

from ..downloads.safety import neutralise


def _flatten(item: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in item.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif not isinstance(value, list):  # nested lists (members, parents) have no place in a flat table
            flat[name] = value
    return flat


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return neutralise(str(value))


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            items = data["results"]
        elif isinstance(data, list):
            items = data
        else:
            items = [data] if data else []
        rows = [_flatten(item) for item in items]
        columns = list(dict.fromkeys(key for row in rows for key in row))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
        return buffer.getvalue().encode(self.charset)
