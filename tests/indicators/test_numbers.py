"""The one French number format: what a reader sees in tables, sentences, charts and files."""

import re
from pathlib import Path

import pytest

from indicators.numbers import describe_flux, describe_stock, format_number, format_percent, scaled

NNBSP, NBSP, MINUS = "\u202f", "\u00a0", "\u2212"
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (-9940.2, 0, f"{MINUS}9{NNBSP}940"),
        (-9940.2, 1, f"{MINUS}9{NNBSP}940,2"),
        (0.0, 0, "0"),
        (-0.04, 1, "0,0"),  # rounds to zero: no minus sign before a zero
        (1889647.3, 0, f"1{NNBSP}889{NNBSP}647"),
        (247220748.0, 0, f"247{NNBSP}220{NNBSP}748"),
        (178.66, 1, "178,7"),
        (None, 0, "—"),
        (float("nan"), 1, "—"),
    ],
)
def test_table_numbers(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(
    ("tonnes", "unit", "text"),
    [
        (121, "t", "121 t"),
        (9940.2, "t", "9,94 kt"),
        (17_500, "t", "17,5 kt"),
        (1_889_647, "t", "1,89 Mt"),
        (247_220_748, "tC", "247 MtC"),
        (999_999, "t", "1,00 Mt"),
        (-2_000_000, "t", f"{MINUS}2,00 Mt"),
        (0, "t", "0 t"),
    ],
)
def test_prose_scales_tonnes_with_three_significant_digits(tonnes, unit, text):
    assert scaled(tonnes, unit) == text


def test_flux_and_stock_in_words():
    assert describe_flux(-1_889_647) == "séquestration nette de 1,89 Mt éq. CO2 par an"
    assert describe_flux(64_000) == "émission nette de 64,0 kt éq. CO2 par an"
    assert describe_flux(121) == "émission nette de 121 t éq. CO2 par an"
    assert describe_flux(0) == "flux net nul"
    assert describe_stock(247_220_748) == "247 millions de tonnes de carbone"
    assert describe_stock(1_500_000) == "1,50 million de tonnes de carbone"


def test_percentages():
    assert format_percent(0.9642) == f"96,4{NBSP}%"
    assert format_percent(1.0) == f"100{NBSP}%"
    assert format_percent(None) == "—"


def test_no_template_formats_numbers_another_way():
    """Templates format numbers only through the french_numbers filters (no floatformat, intcomma, localize)."""
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in (ROOT / "templates").rglob("*.html")
        for match in re.finditer(r"\|(floatformat|intcomma|intword|localize)\b", path.read_text())
    ]
    assert not offenders, offenders


def test_no_python_surface_formats_numbers_another_way():
    """Pages, downloads, API and editor never format a number with a thousands or decimal format spec themselves."""
    pattern = re.compile(r"\{[^{}]*:[^{}]*[,.][0-9]*f\}|:,\.|\.replace\(\",\", \"\\\\u202f\"\)")
    surfaces = [ROOT / "indicators" / name for name in ("pages", "downloads", "api", "editor")]
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for surface in surfaces
        for path in surface.rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not offenders, offenders
