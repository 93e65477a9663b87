"""The levers of a scenario: the public query parameters, their bounds and defaults for a territory and release,
read from a query string into engine options."""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.utils.http import urlencode

from territories import land_uses
from territories.models import Territory

from ..aldo import (
    ARTIFICIALISATION_PAIRS,
    CONSUMPTION,
    DEFORESTATION_PAIRS,
    HARVEST,
    RULE_SETS,
    Bundle,
    Options,
    area_of_pairs,
)
from ..figures import Figures
from ..measures import AREA, LAND_USE_CHANGE
from ..models import Release
from ..numbers import format_number, format_percent

REFERENCE_YEAR = 2018  # the published flux is the mean of 2012-2018: the trajectories start from it
LAST_YEAR = 2050
DEFAULT_HORIZON = 2030
MAX_FACTOR_PERCENT = 200
MAX_TEXT = 40  # longest echo of a received value in a message
PAGE_PARAMETERS = ("millesime", "geographie")
"""Query parameters that choose what the scenario applies to (release, geography), not the scenario itself."""


class InvalidLevers(Exception):
    """Levers that cannot be used: ``errors`` maps each query parameter to its French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


SHARE, PERCENT, AREA_HA, YEAR, CHOICE = "share", "percent", "area", "year", "choice"
UNITS = {SHARE: "", PERCENT: "%", AREA_HA: "ha", YEAR: "", CHOICE: ""}


@dataclass(frozen=True)
class Lever:
    """One query parameter of a scenario: what it means, its bounds and its default for a territory and release."""

    name: str
    label: str
    group: str
    kind: str  # SHARE (0 to 1, two decimals), PERCENT, AREA_HA, YEAR (whole numbers) or CHOICE
    default: float | int | str
    maximum: float = 0.0
    minimum: float = 0.0
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""

    @property
    def unit(self) -> str:
        return UNITS[self.kind]

    @property
    def decimals(self) -> int:
        return 2 if self.kind == SHARE else 0

    @property
    def step(self) -> str:
        """The step of the form's number field: shares by hundredths, the others by whole numbers."""
        return "0.01" if self.kind == SHARE else "1"

    def text(self, value) -> str:
        """A value in words, for pages and files: "0,80", "1 000 ha", "50 %", "2030", the label of a choice."""
        if self.kind == CHOICE:
            return dict(self.choices)[value]
        if self.kind == YEAR:
            return str(int(value))
        if self.kind == PERCENT:
            return format_percent(value / 100)
        number = format_number(value, self.decimals)
        return f"{number} {self.unit}" if self.unit else number


GROUPS = {
    "artificial": "Sols artificiels",
    "forest": "Forêts et produits bois",
    "practices": "Pratiques agricoles",
    "trajectory": "Trajectoire",
}


SHARE_HELP = "Part des sols artificiels qui est imperméabilisée (0 à 1). "
FIXED_LEVERS = (
    Lever(
        "part_impermeabilisee",
        "Part imperméabilisée des sols artificiels",
        "artificial",
        SHARE,
        default=0.8,  # each release's default_share_impermeable, in levers_for
        maximum=1.0,
        help=SHARE_HELP + "Par défaut, la part du millésime.",
    ),
    Lever(
        "artificialisation",
        "Artificialisation (espaces naturels, agricoles ou forestiers devenus artificiels)",
        "artificial",
        PERCENT,
        default=100,
        maximum=MAX_FACTOR_PERCENT,
        help=(
            "En pourcentage des changements annuels observés entre 2012 et 2018 d'espaces naturels, agricoles ou "
            "forestiers vers des sols artificiels : 100 = comme observé, 50 = divisés par deux (objectif de la loi "
            "Climat et résilience pour 2021-2031), 0 = plus aucun. Les changements entre sols artificiels "
            "(imperméabilisés, enherbés, arborés) restent comme observés."
        ),
    ),
    Lever(
        "defrichement",
        "Défrichement (forêts devenues une autre occupation des sols)",
        "forest",
        PERCENT,
        default=100,
        maximum=MAX_FACTOR_PERCENT,
        help=(
            "En pourcentage des conversions annuelles de forêts vers une autre occupation des sols observées entre "
            "2012 et 2018 : 100 = comme observé, 0 = plus aucun défrichement. Les changements d'un type de forêt à "
            "un autre restent comme observés."
        ),
    ),
    Lever(
        "produits_bois",
        "Produits bois",
        "forest",
        CHOICE,
        default=HARVEST,
        choices=(
            (HARVEST, "approche récolte : le bois récolté dans les forêts du territoire"),
            (CONSUMPTION, "approche consommation : la part de la population du territoire"),
        ),
        help="Comment le stock et le puits des produits bois sont attribués au territoire (méthode ALDO).",
    ),
)
"""The levers every release has, in the order of the form; the practices of its method follow, then HORIZON."""
HORIZON = Lever(
    "horizon",
    "Année où le scénario est atteint",
    "trajectory",
    YEAR,
    default=DEFAULT_HORIZON,
    minimum=REFERENCE_YEAR + 1,
    maximum=LAST_YEAR,
    help=f"Les leviers agissent progressivement, de {REFERENCE_YEAR} à cette année.",
)


# The levers that scale observed changes, and which (from, to) land-use changes each scales.
OBSERVED_PAIRS = {"artificialisation": ARTIFICIALISATION_PAIRS, "defrichement": DEFORESTATION_PAIRS}


def _observed(area: float) -> str:
    """What the territory's own 2012-2018 changes give the lever to act on."""
    if not area:
        return " Aucun changement de ce type sur ce territoire entre 2012 et 2018 : ce levier est sans effet."
    return f" Sur ce territoire : {format_number(area, 1)} ha par an entre 2012 et 2018."


def levers_for(bundle: Bundle, reference: Figures) -> tuple[Lever, ...]:
    """The levers of a release for one territory: the default share of the release, the changes it scales with the
    territory's own observed area of them, the practices of its method, each bounded by the territory's area of the
    land use it applies to."""
    share, *others = FIXED_LEVERS
    share = replace(
        share,
        default=bundle.constants["default_share_impermeable"],
        help=SHARE_HELP + bundle.artificial_split_note(),
    )
    changes = [(left, reached, area) for (_, reached, left), area in reference.items(LAND_USE_CHANGE)]
    others = [
        replace(lever, help=lever.help + _observed(area_of_pairs(changes, OBSERVED_PAIRS[lever.name])))
        if lever.name in OBSERVED_PAIRS
        else lever
        for lever in others
    ]
    practices = []
    for name, practice in bundle.rules.practices.items():
        group = land_uses.level1_slug(practice.land_use)
        area = math.floor(reference.of_group(AREA, group))
        per_hectare = format_number((practice.soil + practice.biomass) * bundle.constants["c_to_co2"], 2)
        help_text = (
            f"Surface où la pratique est en place, au plus la surface de {land_uses.label(group).lower()} du "
            f"territoire en 2018 ({format_number(area)} ha) ; {per_hectare} t éq. CO2 stockées par hectare et par an."
        )
        practices.append(Lever(name, practice.label, "practices", AREA_HA, default=0, maximum=area, help=help_text))
    return (share, *others, *practices, HORIZON)


NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
# Thousands written as the site writes them ("17 094", with a space or a no-break space) are read too.
GROUPED_NUMBER = re.compile(r"[+-]?\d{1,3}(\s\d{3})+([.,]\d*)?")


def parse_levers(query: Mapping[str, list[str]], levers: tuple[Lever, ...], rule_set: str) -> dict:
    """Lever name -> value from a query string (parameter -> its values), defaults for the missing or empty ones.

    Raises InvalidLevers naming every problem at once: an unknown parameter, a repeated one, a value that is not a
    number or not a choice, a number out of its bounds. A practice of another method says so."""
    by_name = {lever.name: lever for lever in levers}
    errors: dict[str, str] = {}
    values: dict = {}
    for name in query:
        if name in by_name or name in PAGE_PARAMETERS:
            continue
        shown = _shown(name)
        if _is_practice_of_another_method(name):
            errors[shown] = f"La pratique « {shown} » n'existe pas dans la méthode {rule_set} de ce millésime."
        else:
            errors[shown] = f"Paramètre inconnu : « {shown} ». Paramètres possibles : {', '.join(by_name)}."
    for lever in levers:
        received = [value.strip() for value in query.get(lever.name, [])]
        received = [value for value in received if value]
        if len(received) > 1:
            errors[lever.name] = f"« {lever.label} » est donné {len(received)} fois : une seule valeur est possible."
        elif not received:
            values[lever.name] = lever.default
        elif (value := _lever_value(lever, received[0], errors)) is not None:
            values[lever.name] = value
    if errors:
        raise InvalidLevers(errors)
    return values


def _shown(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def _is_practice_of_another_method(name: str) -> bool:
    return any(name in rules.practices for rules in RULE_SETS.values())


def _lever_value(lever: Lever, text: str, errors: dict[str, str]):
    if lever.kind == CHOICE:
        if text in dict(lever.choices):
            return text
        possible = " ; ".join(f"{value} ({label})" for value, label in lever.choices)
        errors[lever.name] = f"« {lever.label} » : « {_shown(text)} » n'est pas un choix possible ({possible})."
        return None
    digits = "".join(text.split()) if GROUPED_NUMBER.fullmatch(text) else text
    if not NUMBER.fullmatch(digits):
        errors[lever.name] = (
            f"« {lever.label} » : « {_shown(text)} » n'est pas un nombre (écrire par exemple "
            f"{format_number(lever.maximum / 2, lever.decimals)})."
        )
        return None
    number = float(digits.replace(",", "."))  # a huge number of digits reads as infinity: out of bounds below
    if not lever.minimum <= number <= lever.maximum:
        low, high = lever.text(lever.minimum), lever.text(lever.maximum)
        errors[lever.name] = (
            f"« {lever.label} » : la valeur doit être comprise entre {low} et {high} (reçu : {_shown(text)})."
        )
        if lever.group == "practices" and lever.maximum == 0:
            errors[lever.name] += " Le territoire n'a pas de surface où cette pratique s'applique."
        return None
    if lever.kind != SHARE and number != int(number):
        errors[lever.name] = f"« {lever.label} » : un nombre entier est attendu (reçu : {_shown(text)})."
        return None
    return number if lever.kind == SHARE else int(number)


def engine_options(values: dict, levers: tuple[Lever, ...]) -> Options:
    practices = {lever.name: float(values[lever.name]) for lever in levers if lever.group == "practices"}
    return Options(
        share_impermeable=float(values["part_impermeabilisee"]),
        wood_products=values["produits_bois"],
        practices={name: area for name, area in practices.items() if area},
        artificialisation=values["artificialisation"] / 100,
        deforestation=values["defrichement"] / 100,
    )


def page_parameters(territory: Territory, release: Release) -> dict[str, str]:
    """The release and the geography of a scenario's address, named only when they are not the ones shown by default
    (as the territory page's own address does)."""
    return {
        "millesime": "" if release.is_current else release.slug,
        "geographie": "" if territory.vintage and territory.vintage.is_default else territory.geography,
    }


def scenario_url(path: str, page: Mapping[str, str], values: Mapping | None = None, levers=()) -> str:
    """The shortest address of a scenario: the page parameters given (release, geography), then the levers off their
    default, so that the reference is the bare address."""
    pairs = [(name, page[name]) for name in PAGE_PARAMETERS if page.get(name)]
    pairs += [(lever.name, query_value(values[lever.name])) for lever in levers if values[lever.name] != lever.default]
    return f"{path}?{urlencode(pairs)}" if pairs else path


def query_value(value) -> str:
    """A lever's value as a query string or a form field writes it: "0.8", "1000", "recolte"."""
    return repr(value) if isinstance(value, float) else str(value)
