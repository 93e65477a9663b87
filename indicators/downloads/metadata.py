"""What every file says about itself: territory, geography, release, export date, source, link back, caveats."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from ..measures import SIGN_CONVENTION, SOURCE, UNIT_WORDS
from ..registry import Indicator
from ..series.model import SeriesMetadata

ROUNDING = (
    "Les valeurs sont enregistrées en pleine précision ; elles s'affichent arrondies comme sur le site "
    "(tC, tCO2e/an et ha à l'unité, tC/ha, ha/an et % au dixième). Cliquer sur une cellule montre la valeur complète."
)
REUSE = "Réutilisable sous {licence} ({url}), en citant la source."


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class ExportInfo:
    """The facts printed on the read-me sheet, gathered by the view."""

    release: str
    release_date: str
    exported_at: datetime
    page_url: str
    territory_name: str = ""
    territory_kind: str = ""
    territory_code: str = ""
    geography: str = ""
    computed_from: str = ""
    quality: str = ""  # the level's label, e.g. "Estimation"
    quality_meaning: str = ""
    caveats: tuple[str, ...] = field(default_factory=tuple)
    source: str = SOURCE


def territory_lines(info: ExportInfo) -> list[tuple[str, str | Link]]:
    lines: list[tuple[str, str | Link]] = []
    if info.territory_code:
        lines += [
            ("Territoire", info.territory_name),
            ("Type de territoire", info.territory_kind),
            ("Code", info.territory_code),
        ]
    lines += [
        ("Géographie", info.geography),
        ("Millésime", f"{info.release} (publié le {info.release_date})" if info.release_date else info.release),
    ]
    if info.computed_from:
        lines.append(("Calculé à partir de", info.computed_from))
    if info.quality:
        lines.append(("Qualité des chiffres", f"{info.quality} : {info.quality_meaning}"))
    lines += [
        ("Date d'export", info.exported_at.strftime("%d/%m/%Y %H:%M")),
        ("Source", info.source),
        ("Page sur le site", Link(info.page_url, info.page_url)),
    ]
    return lines


def indicator_lines(indicator: Indicator) -> list[tuple[str, str | Link]]:
    lines: list[tuple[str, str | Link]] = [
        ("Indicateur", indicator.title),
        ("Unité", UNIT_WORDS[indicator.unit]),
        ("Convention de signe", indicator.sign_convention),
        ("Définition", indicator.definition),
    ]
    if indicator.series:
        lines += series_lines(indicator.series.metadata)
    return lines


def series_lines(meta: SeriesMetadata) -> list[tuple[str, str | Link]]:
    """Where a series comes from and how it may be reused."""
    lines: list[tuple[str, str | Link]] = [
        ("Source de la série", meta.source),
        ("Licence de la série", meta.licence),
        ("Fréquence de mise à jour", meta.frequency),
    ]
    return lines + ([("Remarque", meta.note)] if meta.note else [])


def sign_line() -> tuple[str, str]:
    return ("Convention de signe", SIGN_CONVENTION)


def common_lines(info: ExportInfo) -> list[tuple[str, str | Link]]:
    reuse = REUSE.format(licence=settings.DATA_LICENCE_NAME, url=settings.DATA_LICENCE_URL)
    lines: list[tuple[str, str | Link]] = [("Arrondis", ROUNDING), ("Réutilisation", reuse)]
    lines += [("Avertissement", caveat) for caveat in info.caveats]
    return lines
