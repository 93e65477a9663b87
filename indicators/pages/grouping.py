"""Groupings a visitor draws: any set of communes and EPCIs given in the URL gets the "Mon territoire" page, its
figures summed on request from the stored figures of its units (``indicators.groupings``), and the page where the set
is composed (search box, map, list of EPCIs)."""

import hashlib
import urllib.parse
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.http import urlencode

from territories import vintages
from territories.groupings import (
    CODE_FORMATS,
    MAX_MEMBERS,
    Member,
    Resolution,
    read_members,
    resolve,
    split_codes,
)
from territories.models import Territory, TerritoryKind

from .. import quality
from ..groupings import grouping_sum, warnings
from ..models import Release
from ..registry import INDICATORS
from ..selectors import published_releases, totals_with_quality
from . import indicator, territory

NAME = "Regroupement de {n} commune{s}"


def members_query(query) -> tuple[str, str]:
    """The ``communes`` and ``epcis`` parameters, each comma-separated or repeated (the plain form repeats them)."""
    return ",".join(query.getlist("communes")), ",".join(query.getlist("epcis"))


@dataclass(frozen=True)
class CountOnly:
    n: int

    def count(self) -> int:
        return self.n


@dataclass
class DrawnGrouping:
    """A set of communes and EPCIs drawn by a visitor, as the territory page, its downloads and ``quality.caveats``
    read a territory: kind, code, name, geography, population, area, attributes, memberships (its communes)."""

    members: list[Member]
    geography: str
    kind = TerritoryKind.GROUPEMENT.value
    pk = None

    @property
    def code(self) -> str:
        """A short name of the set of members (files name it; the URL is what identifies it)."""
        members = sorted({(member.kind, member.code) for member in self.members})
        return "regroupement-" + hashlib.sha256(repr((self.geography, members)).encode()).hexdigest()[:8]

    @property
    def attributes(self) -> dict:
        return {}

    @cached_property
    def resolution(self) -> Resolution:
        return resolve(self.members, self.geography)

    @property
    def name(self) -> str:
        n = len(self.resolution.given_communes)
        return NAME.format(n=n, s="s" if n > 1 else "")

    @property
    def vintage(self) -> vintages.Vintage:
        return vintages.get(self.geography)

    @property
    def population(self) -> int:
        return sum(commune.population or 0 for commune in self.resolution.given_communes)

    @property
    def area_ha(self) -> float:
        return sum(commune.area_ha or 0.0 for commune in self.resolution.given_communes)

    @property
    def memberships(self) -> "CountOnly":
        """Its communes, as ``quality.caveats`` reads a territory's memberships: how many."""
        return CountOnly(len(self.resolution.given_communes))

    def get_kind_display(self) -> str:
        return TerritoryKind.GROUPEMENT.label

    @property
    def query(self) -> str:
        return self.query_string()

    def query_string(self, geography_parameter: str = "geographie") -> str:
        """``communes=…&epcis=…`` (each member once, in the order given) and the geography when not the default,
        under the name the site's pages use (the API names it ``geography``)."""
        codes = {
            kind: list(dict.fromkeys(m.code for m in self.members if m.kind == kind)) for kind in ("commune", "epci")
        }
        parameters = {"communes": ",".join(codes["commune"]), "epcis": ",".join(codes["epci"])}
        parameters = {name: value for name, value in parameters.items() if value}
        if self.geography != vintages.CURRENT.code:
            parameters[geography_parameter] = self.geography
        return urllib.parse.urlencode(parameters, safe=",")  # codes stay readable: communes=80021,80001

    def get_absolute_url(self) -> str:
        return f"{reverse('pages:drawn_grouping')}?{self.query}"


def drawn_grouping(query) -> DrawnGrouping:
    """The grouping of a request's parameters (``communes``, ``epcis``, ``geographie``); ``InvalidMembers`` (400) for a
    malformed code, too many members or none."""
    return DrawnGrouping(read_members(*members_query(query)), geography_of(query))


def geography_of(query) -> str:
    geography = query.get("geographie")
    return geography if geography in vintages.CODES else vintages.CURRENT.code


def page_context(drawn: DrawnGrouping, release: Release | None) -> dict:
    """Everything the page of a drawn grouping shows; it depends on the URL only, hence cacheable whole."""
    resolution = drawn.resolution
    parents = _enclosing(drawn)
    aldo_communes = resolution.composition.communes if drawn.geography != vintages.ALDO.code else ()
    listed = len(resolution.members) <= territory.MAX_LISTED_MEMBERS
    return {
        "territory": drawn,
        "parents": parents,
        "member_count": len(resolution.members),
        # a long list is left out (the page would weigh megabytes), but never a member that needs a word
        "members": resolution.members if listed else [m for m in resolution.members if m.problem or m.counted_once],
        "members_truncated": not listed,
        "commune_count": len(resolution.given_communes),
        "communes": _listed(resolution.given_communes),
        "aldo_commune_count": len(aldo_communes),
        "aldo_communes": _listed(aldo_communes),
        "compose_url": f"{reverse('pages:compose_grouping')}?{drawn.query}",
        "api_url": f"{reverse('v1:groupings')}?{drawn.query_string('geography')}"
        + (f"&millesime={release.slug}" if release else ""),
        "figures": drawn_figures(drawn, release, parents),
    }


def _listed(communes) -> list:
    """Communes listed on the page, none when there are too many (as on a territory's page)."""
    return list(communes) if len(communes) <= territory.MAX_LISTED_MEMBERS else []


def drawn_figures(drawn: DrawnGrouping, release: Release | None, parents: list[Territory]) -> dict:
    """The figures part of the territory page for a drawn grouping, built by the same code as a territory's."""
    if release is None:
        return {"release": None}
    resolution = drawn.resolution
    composition = resolution.composition
    figures = grouping_sum(release, composition)
    reason = " ".join(resolution.problems) or figures.unavailable_reason
    context = {
        **territory.release_context(release),
        "available": not reason,
        "unavailable_reason": reason,
        "quality": quality.assessment(figures),
        "caveats": quality.caveats(drawn, figures),
        "computed_from": figures.computed_from,
        "grouping": {
            "warnings": warnings(composition, resolution.counted_once, few_communes=False),
            "releases": _release_links(drawn, release),
        },
        "release_comparison": None,
    }
    if not reason:
        context.update(territory.figure_sections(figures.figures, drawn, release))
        assessed = context["quality"]
        others = territory.compared_territories(drawn, release, parents)
        compared = totals_with_quality(release, [t.pk for t, _ in others], territory.COMPARED_MEASURES)
        context["comparison"] = territory.comparison_context(
            drawn, release, others, compared, figures.figures, assessed.level.slug if assessed else ""
        )
    return context


def _release_links(drawn: DrawnGrouping, release: Release) -> list[dict]:
    """The same grouping in each published release (the page's release form cannot carry the members)."""
    base = drawn.get_absolute_url()
    return [
        {
            "name": str(other),
            "url": f"{base}&{urlencode({'millesime': other.slug})}",
            "selected": other.pk == release.pk,
        }
        for other in published_releases()
    ]


def _enclosing(drawn: DrawnGrouping) -> list[Territory]:
    """The départements of its communes and their région(s), in its geography."""
    departements = list(
        Territory.objects.filter(
            geography=drawn.geography,
            kind=TerritoryKind.DEPARTEMENT,
            code__in={commune.departement for commune in drawn.resolution.given_communes},
        ).defer("geometry")
    )
    regions = Territory.objects.filter(
        geography=drawn.geography,
        kind=TerritoryKind.REGION,
        code__in={(d.attributes or {}).get("region") for d in departements},
    ).defer("geometry")
    return sorted(regions, key=lambda t: t.name) + sorted(departements, key=lambda t: t.name)


SEARCH_TYPES = "commune,epci"


def compose_context(query, release: Release | None, error: str = "") -> dict:
    """The page where a grouping is composed: the members already chosen (from the URL, codes kept even when wrong so
    that they can be corrected), the EPCIs of the geography to tick, and their map."""
    geography = geography_of(query)
    communes, epcis = members_query(query)
    chosen_epcis = set(split_codes(epcis))
    epci_list = Territory.objects.filter(kind=TerritoryKind.EPCI, geography=geography).defer("geometry")
    chosen_communes = split_codes(communes)
    well_formed = [code for code in chosen_communes[:MAX_MEMBERS] if CODE_FORMATS["commune"].fullmatch(code)]
    names = dict(
        Territory.objects.filter(kind=TerritoryKind.COMMUNE, geography=geography, code__in=well_formed).values_list(
            "code", "name"
        )
    )
    page = indicator.indicator_page(INDICATORS["stock-carbone-hectare"], release, geography, None) if release else {}
    return {
        "geography": vintages.get(geography),
        "geographies": vintages.VINTAGES,
        "communes": ",".join(chosen_communes),
        "commune_names": {code: names[code] for code in chosen_communes if code in names},
        "epcis": [
            {"code": epci.code, "name": epci.name, "checked": epci.code in chosen_epcis}
            for epci in sorted(epci_list, key=lambda t: t.name)
        ],
        "unknown_epcis": sorted(chosen_epcis - {epci.code for epci in epci_list}),
        "map": page.get("map"),
        "max_members": MAX_MEMBERS,
        "error": error,
        "search_url": reverse("pages:search_json")
        + "?"
        + urlencode({"types": "commune,epci", "geographie": geography}),
    }
