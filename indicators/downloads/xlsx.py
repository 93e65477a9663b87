"""Excel workbooks (XlsxWriter): a read-me sheet, the tables, and native Excel charts drawn from them.

Every cell is written with an explicit type: numbers as numbers (full precision, displayed with the site's
rounding), text as text. Text that a spreadsheet could take for a formula also gets Excel's "quote prefix",
so it stays text even when a user edits the cell.
"""

import io
from collections.abc import Iterable, Sequence

import xlsxwriter

from ..tables import Table
from .metadata import Link
from .safety import looks_like_formula

README_SHEET = "Lisez-moi"
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
CHART_SIZE = {"x_scale": 1.6, "y_scale": 1.5}


class WorkbookWriter:
    """One workbook being written; call the ``add_*`` methods in sheet order, then ``close()``."""

    def __init__(self):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, WORKBOOK_OPTIONS)
        self.book.set_properties({"author": "Observatoire Climat Hauts-de-France", "company": ""})
        base = {"font_name": "Arial", "font_size": 10, "valign": "top"}
        self.formats = {
            "title": self.book.add_format({**base, "bold": True, "font_size": 13}),
            "label": self.book.add_format({**base, "bold": True}),
            "text": self.book.add_format({**base, "text_wrap": True}),
            "link": self.book.add_format({**base, "font_color": "blue", "underline": 1}),
            "header": self.book.add_format(
                {**base, "bold": True, "text_wrap": True, "bg_color": "#E8EEF4", "border": 1}
            ),
            "note": self.book.add_format({**base, "italic": True}),
            "quoted_text": self.book.add_format({**base, "text_wrap": True, "quote_prefix": True}),
        }
        self._number_formats: dict[tuple[int, bool], object] = {}
        self._text_formats: dict[tuple[bool, bool], object] = {}

    def number_format(self, decimals: int, bold: bool = False):
        key = (decimals, bold)
        if key not in self._number_formats:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            self._number_formats[key] = self.book.add_format(
                {"font_name": "Arial", "font_size": 10, "num_format": pattern, "bold": bold, "border": 1}
            )
        return self._number_formats[key]

    def text_format(self, bold: bool, quote: bool):
        key = (bold, quote)
        if key not in self._text_formats:
            self._text_formats[key] = self.book.add_format(
                {"font_name": "Arial", "font_size": 10, "bold": bold, "border": 1, "quote_prefix": quote}
            )
        return self._text_formats[key]

    def add_readme(self, title: str, lines: Iterable[tuple[str, str | Link]], contents: Sequence[str] = ()) -> None:
        sheet = self.book.add_worksheet(README_SHEET)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 110)
        sheet.write_string(0, 0, title, self.formats["title"])
        row = 2
        for label, value in lines:
            sheet.write_string(row, 0, label, self.formats["label"])
            if isinstance(value, Link):
                sheet.write_url(row, 1, value.url, self.formats["link"], string=value.text)
            else:
                quoted = looks_like_formula(str(value))
                sheet.write_string(row, 1, str(value), self.formats["quoted_text" if quoted else "text"])
            row += 1
        if contents:
            row += 1
            sheet.write_string(row, 0, "Contenu du classeur", self.formats["label"])
            for line in contents:
                sheet.write_string(row, 1, line, self.formats["text"])
                row += 1
        sheet.activate()

    def add_table_sheet(self, name: str, tables: Sequence[Table], heading: str = "") -> None:
        """A sheet with one or more tables stacked vertically, each with its chart on the right; the first table's
        header row and first column stay in view."""
        sheet = self.book.add_worksheet(name)
        row = 0
        if heading:
            sheet.write_string(0, 0, heading, self.formats["quoted_text" if looks_like_formula(heading) else "title"])
            row = 2
        widths = [0] * max(len(t.columns) for t in tables)
        sheet.freeze_panes(row + 2, 1)
        for table in tables:
            row = self._write_table(sheet, name, table, row, widths) + 2
        self._set_widths(sheet, widths)

    def add_data_sheet(self, name: str, table: Table) -> None:
        """A table as a data sheet: its header on the first row, filters on every column, the header and first two
        columns kept in view, its chart to the right (wide tables such as every EPCI × an indicator)."""
        sheet = self.book.add_worksheet(name)
        widths = [0] * len(table.columns)
        last_row = self._write_table(sheet, name, table, -1, widths)
        sheet.autofilter(0, 0, last_row, len(table.columns) - 1)
        sheet.freeze_panes(1, 2)
        self._set_widths(sheet, widths)

    @staticmethod
    def _set_widths(sheet, widths: list[int]) -> None:
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(max(width, 10), 48))

    def _write_table(self, sheet, sheet_name: str, table: Table, first_row: int, widths: list[int]) -> int:
        """Title on ``first_row`` (none when it is -1), header below, rows, total, note; returns the last row."""
        if first_row >= 0:
            sheet.write_string(first_row, 0, table.title, self.formats["title"])
        header_row = first_row + 1
        sheet.set_row(header_row, 42)
        for col, column in enumerate(table.columns):
            sheet.write_string(header_row, col, column.header, self.formats["header"])
            widths[col] = max(widths[col], min(len(column.header), 28))
        row = header_row
        for row_values in table.rows:
            row += 1
            self._write_row(sheet, row, table, row_values, bold=False, widths=widths)
        last_data_row = row
        if table.total:
            row += 1
            self._write_row(sheet, row, table, table.total, bold=True, widths=widths)
        if table.note:
            row += 1
            sheet.write_string(row, 0, table.note, self.formats["note"])
        if table.chart and table.rows:
            self._add_chart(sheet, sheet_name, table, header_row, last_data_row)
            # Leave room for the chart below short tables.
            row = max(row, header_row + 22)
        return row

    def _write_row(self, sheet, row: int, table: Table, values: dict, bold: bool, widths: list[int]) -> None:
        for col, column in enumerate(table.columns):
            value = values.get(column.key)
            if column.is_number:
                if value is None:
                    sheet.write_blank(row, col, None, self.number_format(column.decimals, bold))
                else:
                    sheet.write_number(row, col, float(value), self.number_format(column.decimals, bold))
            else:
                text = "" if value is None else str(value)
                sheet.write_string(row, col, text, self.text_format(bold, looks_like_formula(text)))
                widths[col] = max(widths[col], len(text))

    def _add_chart(self, sheet, sheet_name: str, table: Table, header_row: int, last_row: int) -> None:
        spec = table.chart
        subtype = {"subtype": "stacked"} if spec.stacked else {}
        chart = self.book.add_chart({"type": spec.kind, **subtype})
        keys = [column.key for column in table.columns]
        categories = keys.index(spec.categories) if spec.categories else 0
        if spec.by_row:
            self._add_time_series(chart, sheet_name, table, header_row)
        for key in () if spec.by_row else spec.series:
            col = keys.index(key)
            series = {
                "name": [sheet_name, header_row, col],
                "categories": [sheet_name, header_row + 1, categories, last_row, categories],
                "values": [sheet_name, header_row + 1, col, last_row, col],
            }
            if spec.kind == "pie":
                series["data_labels"] = {"percentage": True, "leader_lines": True}
            chart.add_series(series)
        chart.set_title({"name": spec.title, "name_font": {"size": 11}})
        if spec.kind == "bar":
            # Horizontal bars are drawn bottom-up: reverse the category axis to keep the table's order.
            chart.set_y_axis({"reverse": True})
            chart.set_x_axis({"name": spec.axis_title or table.unit_note, "num_format": "#,##0"})
            chart.set_legend({"position": "bottom"} if len(spec.series) > 1 else {"none": True})
        elif spec.kind == "pie":
            chart.set_legend({"position": "right"})
        else:  # columns or lines over the categories: periods, or years
            chart.set_x_axis({"name": table.columns[categories].label})
            chart.set_y_axis({"name": spec.axis_title or table.unit_note, "num_format": "#,##0"})
            chart.set_legend({"position": "bottom"} if spec.by_row or len(spec.series) > 1 else {"none": True})
        sheet.insert_chart(header_row, len(table.columns) + 1, chart, CHART_SIZE)

    def _add_time_series(self, chart, sheet_name: str, table: Table, header_row: int) -> None:
        """One series per row over the period columns, whose headers are the categories (they must be adjacent)."""
        keys = [column.key for column in table.columns]
        positions = [keys.index(key) for key in table.chart.series]
        first, last = min(positions), max(positions)
        if positions != list(range(first, last + 1)):
            raise ValueError(f"{table.slug}: the periods of a time series chart must be adjacent columns")
        for offset in range(len(table.rows)):
            row = header_row + 1 + offset
            chart.add_series(
                {
                    "name": [sheet_name, row, 0],
                    "categories": [sheet_name, header_row, first, header_row, last],
                    "values": [sheet_name, row, first, row, last],
                    **({"marker": {"type": "circle"}} if table.chart.kind == "line" else {}),
                }
            )

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()
