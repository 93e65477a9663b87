"""Formula injection: a cell that comes from data must never run as a formula in a spreadsheet.

Spreadsheets treat a cell starting with one of these characters as a formula (OWASP "CSV injection").
Numbers are written as numbers and are never concerned; only text is.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """Text safe for a CSV cell: a leading apostrophe makes Excel and LibreOffice read it as text."""
    return f"'{text}" if looks_like_formula(text) else text
