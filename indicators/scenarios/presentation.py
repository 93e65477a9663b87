"""A scenario against its reference, in words and in the one table model (pages, files and charts read them)."""

from territories import land_uses

from ..aldo.bundle import ARTIFICIAL_SPLIT_FROM_DATA
from ..figures import Figures
from ..measures import FLUX, FLUX_COMPONENTS, STOCK, TOTAL, direction
from ..numbers import format_number, scaled
from ..tables import Chart, Column, Table
from .computation import Scenario
from .levers import LAST_YEAR, REFERENCE_YEAR, query_value

PRACTICES_COMPONENT = "pratiques_agricoles"
COMPONENT_LABELS = {**FLUX_COMPONENTS, PRACTICES_COMPONENT: "Pratiques agricoles (stockage additionnel)"}

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
    "l'artificialisation (espaces naturels, agricoles ou forestiers devenus des sols artificiels) et le défrichement "
    "(forêts devenues une autre occupation des sols) multiplient les surfaces changées de 2012-2018 et tous les flux "
    "qu'elles portent (sol, litière, biomasse, N2O) ; les changements entre sols artificiels, ou d'un type de forêt à "
    "un autre, restent comme observés."
)


def _pair(before: float, after: float, unit: str) -> tuple[str, str]:
    """Both amounts in prose, the first without its unit when both share it: ("17,5", "21,3 kt éq. CO2")."""
    first, second = scaled(before, unit), scaled(after, unit)
    first_number, _, first_unit = first.partition(" ")
    return (first_number if first_unit == second.partition(" ")[2] else first), second


def _flux_state(value: float) -> str:
    if value < 0:
        return "séquestration nette"
    return "émission nette" if value > 0 else "flux net nul"


def _the(state: str) -> str:
    """A flux state with its article: "la séquestration nette", "l'émission nette", "le flux net nul"."""
    return {"séquestration nette": "la ", "émission nette": "l'"}.get(state, "le ") + state


def flux_sentence(reference: float, scenario: float) -> str:
    """The change of the net flux in words: "Avec ce scénario, la séquestration nette passerait de 17,5 à 21,3 kt éq.
    CO2 par an." """
    unit = "t éq. CO2"
    before, after = _pair(abs(reference), abs(scenario), unit)
    state_before, state_after = _flux_state(reference), _flux_state(scenario)
    if scaled(abs(reference), unit) == scaled(abs(scenario), unit) and state_before == state_after:
        if reference == scenario:
            return f"Ce scénario ne change pas le flux net du territoire ({state_before} de {after} par an)."
        return f"Avec ce scénario, {_the(state_before)} resterait d'environ {after} par an."
    if state_before == state_after:
        return f"Avec ce scénario, {_the(state_before)} passerait de {before} à {after} par an."
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
            "Le stock change quand les produits bois sont attribués par la consommation."
            if scenario.setting.bundle.artificial_split == ARTIFICIAL_SPLIT_FROM_DATA  # the lever changes no area
            else "Le stock change quand la part imperméabilisée répartit autrement les sols artificiels, ou quand "
            "les produits bois sont attribués par la consommation."
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
