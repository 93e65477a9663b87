"""The download links of a page, each with its file type and size in its text (screen readers list links on their
own): built here once per page rather than reversed by the template for each of its indicators."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    hint: str
    download: bool = True  # a file; the API's documentation is a page


def api_link() -> Link:
    return Link(reverse("v1:docs"), "API ouverte et sa documentation", "JSON ou CSV", download=False)


def regional_links(release) -> list[Link]:
    """Every indicator of every EPCI of the région, for ``release`` (nothing before a release is published)."""
    if release is None:
        return []
    url = f"{reverse('downloads:regional')}?{urlencode({'millesime': release.slug})}"
    words = "Tous les EPCI des Hauts-de-France, tous les indicateurs"
    return [Link(url, words, "Excel .xlsx, géographies 2018 et 2025, environ 200 ko"), api_link()]


def territory_links(release, territory, indicator: str = "", indicator_title: str = "") -> list[Link]:
    """The files of a territory, or of a grouping drawn by a visitor (its ``query`` names its members): an
    ``indicator``'s sheet and table, or without one the PCAET workbook, and the API."""
    drawn = bool(getattr(territory, "query", ""))
    if drawn:
        query = f"{territory.query}&{urlencode({'millesime': release.slug})}"
        place = []
    else:
        query = urlencode({"millesime": release.slug, "geographie": territory.geography})
        place = [territory.kind, territory.code]
    if indicator:
        name = "downloads:drawn_indicator" if drawn else "downloads:indicator"
        title = f"« {indicator_title} »" if indicator_title else "de l'indicateur"
        return [
            Link(
                f"{reverse(name, args=[*place, indicator, 'xlsx'])}?{query}",
                f"Fiche {title}",
                "Excel .xlsx avec graphique, environ 10 ko",
            ),
            Link(
                f"{reverse(name, args=[*place, indicator, 'csv'])}?{query}",
                "Tableau des données",
                "CSV pour Excel : UTF-8, séparateur point-virgule, moins de 5 ko",
            ),
        ]
    workbook_url = reverse("downloads:drawn_pcaet" if drawn else "downloads:pcaet", args=place)
    of = "du regroupement" if drawn else "du territoire"
    words = f"Classeur PCAET {of} : cadre de dépôt, indicateurs, surfaces, cadre SNBC"
    return [Link(f"{workbook_url}?{query}", words, "Excel .xlsx, environ 40 ko"), api_link()]
