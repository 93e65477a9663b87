"""« Et si… ? » : a territory's figures recomputed by the engine with other options (a scenario), against the
published ones (the reference).

The levers are the query parameters of the scenario page, its file and its API (their names are public): each
becomes an option of the pure engine (``aldo.Options``), so that the default levers give the published figures.
The release's bundle is read and validated once per process, then kept in memory (``release_bundle``): a scenario
is one engine call on the territory's units, a few tens of milliseconds.
"""

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db.models import Count, Max
from django.utils.http import urlencode

from observatory.cache import generation
from territories import land_uses
from territories.models import Territory
from territories.selectors import computation_bases

from . import selectors
from .aldo import CONSUMPTION, HARVEST, RULE_SETS, Bundle, InvalidBundle, Options, compute, load_bundle
from .figures import Figures
from .measures import AREA, FLUX, FLUX_COMPONENTS, STOCK, TOTAL, direction
from .models import ImportJob, Release
from .numbers import format_number, format_percent, scaled
from .services import source_checksum
from .tables import Chart, Column, Table

REFERENCE_YEAR = 2018  # the published flux is the mean of 2012-2018: the trajectories start from it
LAST_YEAR = 2050
DEFAULT_HORIZON = 2030
MAX_FACTOR_PERCENT = 200
MAX_TEXT = 40  # longest echo of a received value in a message
PRACTICES_COMPONENT = "pratiques_agricoles"
COMPONENT_LABELS = {**FLUX_COMPONENTS, PRACTICES_COMPONENT: "Pratiques agricoles (stockage additionnel)"}
PAGE_PARAMETERS = ("millesime", "geographie")
"""Query parameters that choose what the scenario applies to (release, geography), not the scenario itself."""

NATIONAL_SINK = {2015: -26.6e6, 2050: -67e6}
"""National UTCATF net flux (tCO2e/yr, observatory sign): 2015 observed (SECTEN 2020) and 2050 in the scenario of
the SNBC (AMS 2018)."""
NATIONAL_SOURCE = (
    "Stratégie nationale bas-carbone : « Guide national sur les principales méthodologies de construction par une "
    "entreprise d'une trajectoire de réduction de ses émissions de gaz à effet de serre cohérente avec les budgets "
    "carbone sectoriels », annexe II, § 7 (secteur UTCATF : −26,6 Mt éq. CO2 observées en 2015, −67 Mt projetées en "
    "2050)."
)

SCENARIO_METHOD = (
    "Le scénario est recalculé par le moteur ALDO de l'observatoire sur les données du millésime, avec les leviers "
    "choisis à la place des options par défaut ; avec les leviers par défaut, il redonne exactement les chiffres "
    "publiés. Les pratiques agricoles ajoutent surface × (stockage du sol + de la biomasse, en tC/ha/an) × 44/12 ; "
    "l'artificialisation et le défrichement multiplient les surfaces changées de 2012-2018 et tous les flux qu'elles "
    "portent (sol, litière, biomasse, N2O)."
)


class ScenarioUnavailable(Exception):
    """The scenario cannot be computed for this territory and release; the message is French, for the reader."""


class BundleUnavailable(ScenarioUnavailable):
    """The release's bundle cannot be read as it was imported: no scenario for any territory of the release."""


class InvalidLevers(Exception):
    """Levers that cannot be used: ``errors`` maps each query parameter to its French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


# --- levers ------------------------------------------------------------------------------------------------------


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
        "Artificialisation (changements vers des sols artificiels)",
        "artificial",
        PERCENT,
        default=100,
        maximum=MAX_FACTOR_PERCENT,
        help=(
            "En pourcentage des changements annuels observés entre 2012 et 2018 vers des sols artificiels : "
            "100 = comme observé, 50 = divisés par deux (objectif de la loi Climat et résilience pour 2021-2031), "
            "0 = plus aucun."
        ),
    ),
    Lever(
        "defrichement",
        "Défrichement (changements depuis la forêt)",
        "forest",
        PERCENT,
        default=100,
        maximum=MAX_FACTOR_PERCENT,
        help=(
            "En pourcentage des conversions annuelles de forêts observées entre 2012 et 2018 : 100 = comme "
            "observé, 0 = plus aucun défrichement."
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


def levers_for(bundle: Bundle, reference: Figures) -> tuple[Lever, ...]:
    """The levers of a release for one territory: the default share of the release, the practices of its method,
    each bounded by the territory's area of the land use it applies to."""
    share, *others = FIXED_LEVERS
    share = replace(
        share,
        default=bundle.constants["default_share_impermeable"],
        help=SHARE_HELP + bundle.artificial_split_note(),
    )
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
    if not NUMBER.fullmatch(text):
        errors[lever.name] = (
            f"« {lever.label} » : « {_shown(text)} » n'est pas un nombre (écrire par exemple "
            f"{format_number(lever.maximum / 2, lever.decimals)})."
        )
        return None
    number = float(text.replace(",", "."))  # a huge number of digits reads as infinity: out of bounds below
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


# --- the bundle of a release, once per process -------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def release_bundle(release: Release) -> Bundle:
    """The validated bundle the release was imported from, read once per process (the last two releases asked for
    stay in memory; `release_bundle.cache_clear()` forgets them). Raises BundleUnavailable when it cannot be read as
    it was imported."""
    job = ImportJob.objects.filter(release=release, state=ImportJob.State.READY).order_by("-finished_at").first()
    unavailable = BundleUnavailable(
        "Le fichier de données de ce millésime n'est plus disponible sur le serveur : le simulateur ne peut pas "
        "recalculer le territoire. Les chiffres publiés restent consultables sur la page du territoire."
    )
    if job is None or not Path(job.source_path).exists():
        raise unavailable
    try:
        if source_checksum(Path(job.source_path)) != job.checksum:
            raise BundleUnavailable(
                "Le fichier de données de ce millésime a changé depuis son import : le simulateur ne peut pas "
                "garantir les mêmes chiffres que ceux publiés. Les chiffres publiés restent consultables sur la page "
                "du territoire."
            )
        return load_bundle(Path(job.source_path))
    except (OSError, InvalidBundle) as error:
        raise unavailable from error


@functools.lru_cache(maxsize=2)
def _computation_bases(unit_kind: str, version: tuple) -> dict:
    return computation_bases(unit_kind)


def territory_units(bundle: Bundle, territory: Territory) -> tuple[str, ...]:
    """The computation units of a territory. Every territory's are worked out at once (0.2 s) and kept until the
    territories change: reloading them bumps the cache generation, and gives new ids."""
    version = (generation(), *Territory.objects.aggregate(Max("pk"), Count("pk")).values())
    basis = _computation_bases(bundle.unit_kind, version).get(territory.pk)
    if basis is None or not basis.available:
        raise ScenarioUnavailable(basis.unavailable_reason if basis else "Territoire inconnu du calcul.")
    return basis.units


# --- the scenario ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """What a scenario of one territory and release starts from: the bundle, the published figures, the levers."""

    release: Release
    territory: Territory
    bundle: Bundle
    reference: Figures
    levers: tuple[Lever, ...]

    @property
    def lever(self) -> dict[str, Lever]:
        return {lever.name: lever for lever in self.levers}


def setting_for(release: Release, territory: Territory) -> Setting:
    """Raises ScenarioUnavailable when the territory has no figures for the release, or its bundle is not readable."""
    result = selectors.territory_result(release, territory)
    if result is None or not result.available:
        raise ScenarioUnavailable(
            result.unavailable_reason if result else "Ce territoire n'a pas été calculé pour ce millésime."
        )
    bundle = release_bundle(release)
    reference = selectors.figures_of(release, [territory.pk])[territory.pk]
    return Setting(release, territory, bundle, reference, levers_for(bundle, reference))


@dataclass(frozen=True)
class Scenario:
    setting: Setting
    values: dict
    """Lever name -> value."""
    figures: Figures
    """The scenario's figures, in the shape of the stored ones (zero figures left out)."""
    trajectory: list[dict] = field(default_factory=list)

    @property
    def reference(self) -> Figures:
        return self.setting.reference

    @property
    def horizon(self) -> int:
        return self.values["horizon"]


def run_scenario(setting: Setting, values: dict) -> Scenario:
    """The engine on the territory's units with the scenario's options."""
    units = territory_units(setting.bundle, setting.territory)
    result = compute(setting.bundle, {"scenario": units}, options=engine_options(values, setting.levers))
    if result.unavailable:
        raise ScenarioUnavailable(next(iter(result.unavailable.values())))
    rows = result.values[result.values["value"] != 0]  # as stored: a missing figure reads as 0
    figures = Figures(
        zip(rows["measure"], rows["land_use"], rows["detail"], rows["value"], rows["provenance"], strict=True)
    )
    return Scenario(setting, values, figures, trajectory(setting.reference.get(FLUX), figures.get(FLUX), values))


def trajectory(reference_flux: float, scenario_flux: float, values: dict) -> list[dict]:
    """Yearly net flux from 2018 to 2050: the reference held constant, the scenario reaching its levers linearly by
    the horizon year; with the difference cumulated since 2018 (tCO2e, observatory sign)."""
    horizon = values["horizon"]
    points, cumulated = [], 0.0
    for year in range(REFERENCE_YEAR, LAST_YEAR + 1):
        progress = min(1.0, (year - REFERENCE_YEAR) / (horizon - REFERENCE_YEAR))
        flux = reference_flux + (scenario_flux - reference_flux) * progress
        cumulated += flux - reference_flux
        points.append({"year": year, "reference": reference_flux, "scenario": flux, "cumulated": cumulated})
    return points


# --- in words ----------------------------------------------------------------------------------------------------


def _pair(before: float, after: float, unit: str) -> tuple[str, str]:
    """Both amounts in prose, the first without its unit when both share it: ("17,5", "21,3 kt éq. CO2")."""
    first, second = scaled(before, unit), scaled(after, unit)
    first_number, _, first_unit = first.partition(" ")
    return (first_number if first_unit == second.partition(" ")[2] else first), second


def _flux_state(value: float) -> str:
    if value < 0:
        return "séquestration nette"
    return "émission nette" if value > 0 else "flux net nul"


def flux_sentence(reference: float, scenario: float) -> str:
    """The change of the net flux in words: "Avec ce scénario, la séquestration nette passerait de 17,5 à 21,3 kt éq.
    CO2 par an." """
    unit = "t éq. CO2"
    before, after = _pair(abs(reference), abs(scenario), unit)
    state_before, state_after = _flux_state(reference), _flux_state(scenario)
    if scaled(abs(reference), unit) == scaled(abs(scenario), unit) and state_before == state_after:
        if reference == scenario:
            return f"Ce scénario ne change pas le flux net du territoire ({state_before} de {after} par an)."
        return f"Avec ce scénario, la {state_before} resterait d'environ {after} par an."
    if state_before == state_after:
        return f"Avec ce scénario, la {state_before} passerait de {before} à {after} par an."
    start = "un flux net nul" if reference == 0 else f"une {state_before} de {scaled(abs(reference), unit)}"
    end = "un flux net nul" if scenario == 0 else f"une {state_after} de {after} par an"
    return f"Avec ce scénario, le territoire passerait d'{start} à {end}."


def stock_sentence(reference: float, scenario: float) -> str:
    before, after = _pair(reference, scenario, "tC")
    if scaled(reference, "tC") == scaled(scenario, "tC"):
        return f"Le stock de carbone ne change pas sensiblement ({after})."
    return f"Le stock de carbone passerait de {before} à {after}."


def cumulated_sentence(scenario: Scenario) -> str:
    cumulated = scenario.trajectory[-1]["cumulated"]
    span = f"de {REFERENCE_YEAR} à {LAST_YEAR}"
    if not cumulated:
        return f"{span.capitalize()}, ce scénario ne change pas le cumul des flux du territoire."
    amount = scaled(abs(cumulated), "t éq. CO2")
    more = "séquestrées en plus" if cumulated < 0 else "émises en plus (ou non séquestrées)"
    return (
        f"{span.capitalize()}, en atteignant ses leviers en {scenario.horizon} : {amount} {more} par rapport à la "
        "référence."
    )


def national_comparison(scenario: Scenario) -> str:
    """The SNBC's national sink growth, next to this scenario's for the territory."""
    national = NATIONAL_SINK[2050] / NATIONAL_SINK[2015]
    text = (
        f"Le puits national (UTCATF) est multiplié par {format_number(national, 1)} entre 2015 et 2050 dans la SNBC ; "
    )
    reference, final = scenario.reference.get(FLUX), scenario.trajectory[-1]["scenario"]
    if reference >= 0:
        return text + "le territoire est aujourd'hui en émission nette : ce rapport ne s'applique pas à lui."
    if final >= 0:
        return text + "avec ce scénario, le territoire ne serait plus un puits en 2050."
    return text + f"ce scénario : ×{format_number(final / reference, 2)} pour le territoire entre 2018 et 2050."


def lever_lines(scenario: Scenario) -> list[tuple[str, str]]:
    """(label, value in words with the reference value when it differs) of every lever, in order."""
    lines = []
    for lever in scenario.setting.levers:
        value = scenario.values[lever.name]
        note = "" if value == lever.default else f" (référence : {lever.text(lever.default)})"
        lines.append((lever.label, lever.text(value) + note))
    return lines


def sides(scenario: Scenario) -> dict[str, dict]:
    """Reference, scenario and their difference: stock (tC), net flux (tCO2e/yr, observatory sign) and the flux by
    component and by final land use."""

    def side(figures: Figures) -> dict:
        return {
            "stock_total": figures.get(STOCK),
            "flux_total": figures.get(FLUX),
            "flux_by_component": flux_by(figures, "detail"),
            "flux_by_land_use": flux_by(figures, "land_use"),
        }

    reference, result = side(scenario.reference), side(scenario.figures)
    difference = {}
    for key, value in result.items():
        if isinstance(value, dict):
            names = list(dict.fromkeys([*reference[key], *value]))
            difference[key] = {name: value.get(name, 0.0) - reference[key].get(name, 0.0) for name in names}
        else:
            difference[key] = value - reference[key]
    return {
        name: values | {"flux_direction": direction(values["flux_total"])}
        for name, values in (("reference", reference), ("scenario", result), ("difference", difference))
    }


def flux_by(figures: Figures, axis: str) -> dict[str, float]:
    """Net flux by component (axis "detail") or by final land use as stored (axis "land_use")."""
    position = 2 if axis == "detail" else 1
    sums: dict[str, float] = {}
    for key, value in figures.items(FLUX):
        if key[1] != TOTAL:
            sums[key[position]] = sums.get(key[position], 0.0) + value
    return sums


# --- tables (the one table model: pages, files and charts read them) ---------------------------------------------

REFERENCE_COLUMN = "Référence (chiffres publiés)"
SCENARIO_COLUMN = "Scénario"
FLUX_AXIS = "tCO2e/an — ← séquestration | émission →"


def _group_of(land_use: str) -> str:
    """The level-1 group of a stored land use; "prairies" is already one (HETRE's parent, prairie practices)."""
    return land_uses.PARENT_OF.get(land_use) or land_uses.level1_slug(land_use)


def _side_by_side(
    slug: str, title: str, unit: str, rows: list[tuple[str, str, float, float]], total: tuple[float, float], **table
) -> Table:
    """Rows (key, label, reference, scenario) with their difference; fluxes say their scenario's sign in words."""
    is_flux = unit == "tCO2e/an"

    def row(key: str, label: str, reference: float, scenario: float) -> dict:
        values = {"key": key, "label": label, "reference": reference, "scenario": scenario}
        values["difference"] = scenario - reference
        return values | ({"direction": direction(scenario)} if is_flux else {})

    columns = [
        Column("label", table.pop("first_column")),
        Column("reference", REFERENCE_COLUMN, unit),
        Column("scenario", SCENARIO_COLUMN, unit),
        Column("difference", "Écart (scénario − référence)", unit),
    ]
    if is_flux:
        columns.append(Column("direction", "Scénario en clair"))
    return Table(
        slug=slug,
        title=title,
        unit_note=f"{unit}, séquestration négative" if is_flux else unit,
        columns=tuple(columns),
        rows=[row(*values) for values in rows if values[2] or values[3]],
        total=row("total", "Total du territoire", *total),
        value_key="scenario",
        **table,
    )


def _flux_chart(title: str) -> Chart:
    return Chart(
        "bar",
        f"{title} (tCO2e/an ; séquestration < 0)",
        ("reference", "scenario"),
        axis_title=FLUX_AXIS,
        colors="series",
        signed=True,
    )


def stock_by_group_table(scenario: Scenario) -> Table:
    reference, figures = scenario.reference, scenario.figures
    rows = [
        (entry.slug, entry.label, reference.of_group(STOCK, entry.slug), figures.of_group(STOCK, entry.slug))
        for entry in land_uses.LEVEL1
    ]
    return _side_by_side(
        "scenario-stock",
        "Stock de carbone par occupation des sols : référence et scénario",
        "tC",
        rows,
        (reference.get(STOCK), figures.get(STOCK)),
        first_column="Occupation des sols",
        note=(
            "Le stock change quand la part imperméabilisée répartit autrement les sols artificiels, ou quand les "
            "produits bois sont attribués par la consommation."
        ),
    )


def flux_by_component_table(scenario: Scenario) -> Table:
    reference, figures = flux_by(scenario.reference, "detail"), flux_by(scenario.figures, "detail")
    components = [c for c in COMPONENT_LABELS if c in reference or c in figures]
    rows = [(c, COMPONENT_LABELS[c], reference.get(c, 0.0), figures.get(c, 0.0)) for c in components]
    return _side_by_side(
        "scenario-flux-composante",
        "Flux annuel de carbone par composante : référence et scénario",
        "tCO2e/an",
        rows,
        (scenario.reference.get(FLUX), scenario.figures.get(FLUX)),
        first_column="Composante",
        chart=_flux_chart("Flux par composante"),
    )


def flux_by_group_table(scenario: Scenario) -> Table:
    sums = []
    for figures in (scenario.reference, scenario.figures):
        by_group: dict[str, float] = {}
        for land_use, value in flux_by(figures, "land_use").items():
            by_group[_group_of(land_use)] = by_group.get(_group_of(land_use), 0.0) + value
        sums.append(by_group)
    rows = [
        (entry.slug, entry.label, sums[0].get(entry.slug, 0.0), sums[1].get(entry.slug, 0.0))
        for entry in land_uses.LEVEL1
    ]
    return _side_by_side(
        "scenario-flux-occupation",
        "Flux annuel de carbone par occupation des sols (finale) : référence et scénario",
        "tCO2e/an",
        rows,
        (scenario.reference.get(FLUX), scenario.figures.get(FLUX)),
        first_column="Occupation des sols (finale)",
        chart=_flux_chart("Flux par occupation des sols"),
        note="Les pratiques agricoles sont comptées dans l'occupation où elles s'appliquent, comme dans ALDO.",
    )


def trajectory_table(scenario: Scenario) -> Table:
    return Table(
        slug="scenario-trajectoire",
        title=f"Trajectoire du flux net de {REFERENCE_YEAR} à {LAST_YEAR}",
        unit_note="tCO2e/an, séquestration négative",
        columns=(
            Column("label", "Année"),
            Column("reference", "Référence maintenue", "tCO2e/an"),
            Column("scenario", f"Scénario atteint en {scenario.horizon}", "tCO2e/an"),
            Column("cumulated", f"Écart cumulé depuis {REFERENCE_YEAR}", "tCO2e"),
        ),
        rows=[{"key": str(point["year"]), "label": str(point["year"]), **point} for point in scenario.trajectory],
        chart=Chart(
            "line",
            f"Flux net du territoire, {REFERENCE_YEAR}-{LAST_YEAR} (tCO2e/an ; séquestration < 0)",
            ("reference", "scenario"),
            axis_title="tCO2e/an (séquestration < 0)",
            colors="series",
            signed=True,
        ),
        note=(
            f"La référence garde le flux net publié (moyenne 2012-2018) ; le scénario s'en écarte linéairement de "
            f"{REFERENCE_YEAR} à {scenario.horizon}, puis reste constant."
        ),
        value_key="scenario",
    )


def levers_table(scenario: Scenario) -> Table:
    rows = []
    for lever in scenario.setting.levers:
        value = scenario.values[lever.name]
        rows.append(
            {
                "key": lever.name,
                "label": lever.label,
                "value": lever.text(value),
                "default": lever.text(lever.default),
                "parameter": f"{lever.name}={query_value(value)}",
            }
        )
    return Table(
        slug="scenario-leviers",
        title="Leviers du scénario",
        unit_note="",
        columns=(
            Column("label", "Levier"),
            Column("value", "Valeur du scénario"),
            Column("default", "Valeur de référence"),
            Column("parameter", "Paramètre d'adresse"),
        ),
        rows=rows,
    )
