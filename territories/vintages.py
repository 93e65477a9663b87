"""The site's geography vintages, declared in ``fixtures/territories/vintages.toml`` (data, not code).

``Territory.geography`` holds a vintage's ``code``; ``Territory.vintage`` returns its ``Vintage``.
"""

from django.conf import settings

from . import declaration
from .declaration import Vintage

__all__ = ["ALDO", "CODES", "CURRENT", "VINTAGES", "Vintage", "get"]

#: Every vintage, in declared order (oldest first).
VINTAGES: tuple[Vintage, ...] = declaration.read(settings.FIXTURES_DIR / "territories" / declaration.FILE_NAME)
#: The vintage ALDO bundles are written in (2018 communes, EPCIs of 1 January 2018).
ALDO: Vintage = next(vintage for vintage in VINTAGES if vintage.is_aldo)
#: The vintage shown when a URL names none.
CURRENT: Vintage = next(vintage for vintage in VINTAGES if vintage.is_default)
CODES: frozenset[str] = frozenset(vintage.code for vintage in VINTAGES)
_BY_CODE = {vintage.code: vintage for vintage in VINTAGES}


def get(code: str | None) -> Vintage | None:
    """The vintage of ``code`` (as in ``Territory.geography`` or ``?geographie=``), None if no vintage has it."""
    return _BY_CODE.get(code)
