"""The one French number format of the site, its charts and its files.

Rules:
- decimal comma; thousands grouped by a narrow no-break space (U+202F), the only thousands space used;
- negative numbers take the true minus sign (U+2212), never the ASCII hyphen;
- tables show each unit with fixed decimals (``measures.DECIMALS``: tC, tCO2e/an and ha to the unit, tC/ha, ha/an
  and % to the tenth);
- prose (key figures, sentences) scales tonnes to t, kt or Mt and keeps three significant digits: 121 t, 9,94 kt,
  1,89 Mt, 247 Mt;
- a number and its unit are joined by a space, a percentage by a no-break space (U+00A0): "96,4 %".
"""

import math

import numpy as np

MINUS = "\u2212"
THOUSANDS = "\u202f"
UNIT_SPACE = " "
PERCENT_SPACE = "\u00a0"
DASH = "—"
SIGNIFICANT_DIGITS = 3
SCALES = ((1e6, "M"), (1e3, "k"), (1.0, ""))


def format_number(value: float | None, decimals: int = 0) -> str:
    """1234.56 → "1 234,6" (decimals=1); −0.04 → "0,0"; None or NaN → "—"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    rounded = round(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", THOUSANDS).replace(".", ",")
    return f"{MINUS}{text}" if rounded < 0 else text


def signed_number(value: float | None, decimals: int = 0) -> str:
    """A change or a flux written with its sign: "+64 205", "−1 889 647", "0"."""
    text = format_number(value, decimals)
    return f"+{text}" if value is not None and round(value, decimals) > 0 else text


def format_percent(share: float | None, decimals: int = 1) -> str:
    """A share (0.964) as "96,4 %"; a whole percentage loses its decimals ("100 %")."""
    if share is None:
        return DASH
    percent = 100 * share
    if round(percent, decimals) == round(percent):
        decimals = 0
    return f"{format_number(percent, decimals)}{PERCENT_SPACE}%"


def format_with_unit(value: float | None, unit: str, decimals: int = 0) -> str:
    return f"{format_number(value, decimals)}{UNIT_SPACE}{unit}"


def scaled(value: float, unit: str = "t", *, signed: bool = False) -> str:
    """Tonnes in prose: 121 → "121 t", 9 940.2 → "9,94 kt", 1 889 647 → "1,89 Mt"; ``unit`` follows the prefix
    ("tC" → "MtC", "t éq. CO2" → "kt éq. CO2"); ``signed``: a positive value gets its "+" (fluxes)."""
    magnitude = abs(value)
    smallest = 0.5 * 10 ** (1 - SIGNIFICANT_DIGITS)  # a mantissa that rounds to 1,00 belongs to the larger prefix
    factor, prefix = next(((f, p) for f, p in SCALES if magnitude / f >= 1 - smallest), SCALES[-1])
    mantissa = float(f"{magnitude / factor:.{SIGNIFICANT_DIGITS}g}")
    digits = 0 if mantissa == 0 else max(0, SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(mantissa)))
    number = (signed_number if signed else format_number)(math.copysign(mantissa, value), digits)
    return f"{number}{UNIT_SPACE}{prefix}{unit}"


def describe_flux(value_tco2e: float) -> str:
    """The net flux in words, as the observatory writes it: "séquestration nette de 17,5 kt éq. CO2 par an"."""
    amount = scaled(abs(value_tco2e), "t éq. CO2")
    if value_tco2e < 0:
        return f"séquestration nette de {amount} par an"
    if value_tco2e > 0:
        return f"émission nette de {amount} par an"
    return "flux net nul"


def describe_stock(value_tc: float) -> str:
    """A stock in words: "1,89 million de tonnes de carbone", "247 millions de tonnes de carbone"."""
    if abs(value_tc) >= 1e6:
        millions = value_tc / 1e6
        text = scaled(value_tc, "t").removesuffix(f"{UNIT_SPACE}Mt")
        return f"{text} million{'s' if round(millions, 2) >= 2 else ''} de tonnes de carbone"
    return f"{scaled(value_tc, 'tC')} (tonnes de carbone)"


def spreadsheet_number(value: float, decimals: int | None = None) -> str:
    """A number for a CSV file that French Excel reads as a number: decimal comma, no thousands separator, no
    exponent; rounded to ``decimals``, or at full precision when it is None."""
    if decimals is None:
        text = np.format_float_positional(float(value), trim="-")
    else:
        text = f"{round(float(value), decimals) + 0.0:.{decimals}f}"  # + 0.0: no "-0"
    return text.replace(".", ",")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 commune", "3 communes", "7 866 territoires": the count formatted, the noun agreed."""
    noun = singular if abs(count) < 2 else (plural_form or f"{singular}s")
    return f"{format_number(count)} {noun}"
