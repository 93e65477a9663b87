"""What a bundle table must look like: column rules, code formats, nomenclatures, and the tables every method shares.

Each rule set (`rules/`) assembles its own `tables` from these pieces; validation only applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .common import FORESTS, HEDGES, LAND_USES, WOOD_PRODUCTS

# --- Nomenclatures (METHOD.md §1) ------------------------------------------------------------------------------------

CLC_LEVEL3_CODES = frozenset(
    "111 112 121 122 123 124 131 132 133 141 142 211 212 213 221 222 223 231 241 242 243 244 "
    "311 312 313 321 322 323 324 331 332 333 334 335 411 412 421 422 423 511 512 521 522 523".split()
)
ALDO_LAND_USES = frozenset({*LAND_USES, HEDGES, WOOD_PRODUCTS})
FOREST_LAND_USES = frozenset(LAND_USES[land_use] for land_use in FORESTS)
SOIL_CLASSES = frozenset(
    {
        "cultures",
        "prairies",
        "forêts",
        "zones humides",
        "vergers",
        "vignes",
        "sols artificialisés",
        "sols artificiels imperméabilisés",
        "sols artificiels enherbés",
        "sols artificiels arborés et buissonants",
    }
)
FLUX_IDS = frozenset({"cult", "prai", "for", "zh", "verg", "vign", "art_imp", "art_enh", "art_arb"})
FOREST_COMPOSITIONS = frozenset({"Feuillu", "Conifere", "Mixte", "Peupleraie"})
IGN_LOCALISATION_TYPES = frozenset({"groupeser", "greco", "rad13", "bassin_populicole", "France"})
IGN_SIGNIFICANCE_VALUES = frozenset({"s", "n.s"})
INTER_REGIONS = frozenset({"NORD-OUEST", "NORD-EST", "SUD-OUEST", "SUD-EST", "CENTRE-EST"})
PROVENANCES = frozenset({"original", "rebuilt"})

COMMON_CONSTANTS = (
    "c_to_co2",
    "n2o_gwp",
    "n2o_cn_ratio",
    "n2o_ef_direct",
    "n2o_n2o_n_to_n2o_direct",
    "n2o_frac_leach",
    "n2o_ef_leach",
    "n2o_n2o_n_to_n2o_indirect",
    "forest_litter_stock",
    "forest_litter_flux",
    "clc_change_years",
    "soil_transition_years",
    "default_share_impermeable",
    "france_wood_stock_bo",
    "france_wood_stock_bi",
    "france_wood_harvest_bo",
    "france_wood_harvest_bi",
    "france_wood_flux_bo",
    "france_wood_flux_bi",
    "bft_to_vat_feuillu",
    "bft_to_vat_conifere",
    "bft_to_vat_mixte",
    "bft_to_vat_peupleraie",
    "harvest_bft_share",
    "harvest_branch_share",
    "france_population",
)

CLC_AREAS, LAND_USE_AREAS = "clc_areas.csv", "land_use_areas.csv"
UNIT_AREA_FILES = (CLC_AREAS, LAND_USE_AREAS)
"""Unit land-use areas come by CLC code or by ALDO land use: a bundle holds exactly one of these files."""

FILE_LABELS = {
    "territories.csv": "territoires et leurs communes",
    CLC_AREAS: "surfaces d'occupation des sols Corine Land Cover par commune",
    LAND_USE_AREAS: "surfaces par occupation des sols ALDO par commune",
    "clc_changes.csv": "changements d'occupation des sols Corine Land Cover",
    "forest_areas.csv": "surfaces forestières IGN par commune",
    "hedges.csv": "haies par commune",
    "ref_soil_stocks.csv": "stocks de référence des sols",
    "ref_soil_flux.csv": "flux de référence des sols",
    "ref_biomass_stocks.csv": "stocks de référence de la biomasse",
    "ref_biomass_flux.csv": "flux de référence de la biomasse",
    "ref_forest_ign.csv": "références forestières IGN",
    "ref_hedge_carbon.csv": "carbone des haies",
    "ref_wood_region.csv": "récolte de bois par région",
    "constants.csv": "constantes de la méthode",
}
"""What each bundle file holds, in the words of the editor area (the manifest's own notes are in English)."""

IGN_VALUE_COLUMNS = (
    "carbone_(tC∙ha-1)",
    "bois_mort_carbone_(tC∙ha-1)",
    "production_volume_(m3∙ha-1∙an-1)",
    "prelevement_volume_(m3∙ha-1∙an-1)",
    "mortalite_volume_(m3∙ha-1∙an-1)",
    "bilan_volume_(m3∙ha-1∙an-1)",
    "fexp_vol_carb",
    "bilan_carbone_(tC∙ha-1∙an-1)",
)


# --- Column rules ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeFormat:
    pattern: str
    expected: str
    """French description of a valid code, used in messages."""
    padded_length: int | None = None
    """Length of an all-digit code with its leading zeros, to recognise codes that lost them (Excel)."""


INSEE_CODE = CodeFormat(r"\d{5}|2[AB]\d{3}", "un code INSEE de commune sur 5 caractères (ex. 02001, 2A004)", 5)
SIREN = CodeFormat(r"\d{9}", "un SIREN sur 9 chiffres (ex. 200071785)", 9)
HETRE_EPCI_ID = CodeFormat(
    r"\d{9}|[1-9]\d{0,2}", "un SIREN sur 9 chiffres (ou un numéro de pseudo-EPCI d'ALDO, ex. 1)", None
)
DEPARTEMENT_CODE = CodeFormat(r"\d{2}|2[AB]|97\d", "un code département sur 2 ou 3 caractères (ex. 02, 2A, 974)", 2)
REGION_CODE = CodeFormat(r"\d{2}", "un code région INSEE sur 2 chiffres (ex. 32)", 2)
REGION_CODE_LIST = CodeFormat(r"(\d{2}(;\d{2})*)?", "des codes région sur 2 chiffres séparés par « ; » (ex. 28;32)")
ZPC_CODE = CodeFormat(r"[1-5]_[1-3]", "une zone pédoclimatique <texture 1-5>_<climat 1-3> (ex. 2_2)")


@dataclass(frozen=True)
class AllowedValues:
    values: frozenset[str]
    expected: str


def one_of(*values: str) -> AllowedValues:
    return AllowedValues(frozenset(values), " ou ".join(values))


CLC_CODES = AllowedValues(CLC_LEVEL3_CODES, "un code CORINE Land Cover de niveau 3 (111 à 523)")
PROVENANCE = AllowedValues(PROVENANCES, "original ou rebuilt")
INTER_REGION = AllowedValues(INTER_REGIONS, ", ".join(sorted(INTER_REGIONS)))
SOIL_CLASS = AllowedValues(SOIL_CLASSES, "une classe de sol ALDO (ex. « cultures », « forêts »)")
FLUX_ID = AllowedValues(FLUX_IDS, "un identifiant de flux ALDO (cult, prai, for, zh, …)")
AREA_LAND_USE = AllowedValues(
    frozenset(LAND_USES), "un usage des sols ALDO de niveau 2 non forestier (ex. « prairies zones arborées »)"
)
"""Forest land uses pass this check to get their own message (their areas come from forest_areas.csv)."""
ALDO_LAND_USE = AllowedValues(ALDO_LAND_USES, "un usage des sols ALDO de niveau 2 (ex. « prairies zones arborées »)")


@dataclass(frozen=True)
class NumberRule:
    required: bool = True
    """False when a blank cell means "no value" (reference tables, METHOD.md §0)."""
    non_negative: bool = False
    at_most: float | None = None
    quantity: str = "valeur"
    """What the number is, for messages ("surface", "longueur", …)."""


AREA = NumberRule(non_negative=True, quantity="surface")
LENGTH = NumberRule(non_negative=True, quantity="longueur")
COUNT = NumberRule(required=False, non_negative=True, quantity="effectif")
OPTIONAL_DENSITY = NumberRule(required=False, non_negative=True, quantity="densité")
OPTIONAL_VALUE = NumberRule(required=False)


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[str, ...]
    """Required columns; other columns are tolerated."""
    codes: tuple[str, ...] = ()
    """Columns that must not be blank."""
    numbers: dict[str, NumberRule] = field(default_factory=dict)
    formats: dict[str, CodeFormat] = field(default_factory=dict)
    allowed: dict[str, AllowedValues] = field(default_factory=dict)
    unique_key: tuple[str, ...] = ()
    may_have_no_rows: bool = False


@dataclass(frozen=True)
class ReferenceKey:
    """How a method keys a family of reference tables (ref_soil_* or ref_biomass_*)."""

    key_type: str
    """Value of their `key_type` column."""
    formats: dict[str, CodeFormat] = field(default_factory=dict)
    """Format of their `key` column, if any."""
    allowed: dict[str, AllowedValues] = field(default_factory=dict)
    """Allowed values of their `key` column, if closed."""


# --- Tables every method shares --------------------------------------------------------------------------------------


def unit_area_table(unit_id: CodeFormat, category: str, categories: AllowedValues) -> TableSpec:
    """One area per unit and `category` (a CLC code, or an ALDO land use)."""
    return TableSpec(
        columns=("territory_id", category, "area_ha", "provenance"),
        codes=("territory_id", category, "provenance"),
        numbers={"area_ha": AREA},
        formats={"territory_id": unit_id},
        allowed={category: categories, "provenance": PROVENANCE},
        unique_key=("territory_id", category),
    )


def unit_tables(unit_id: CodeFormat, epci_id: CodeFormat) -> dict[str, TableSpec]:
    """The per-unit input tables: land-use areas (by CLC code or by land use), land-use changes and forest areas."""
    return {
        CLC_AREAS: unit_area_table(unit_id, "clc_code", CLC_CODES),
        # Forest land uses are checked apart: their areas come from forest_areas.csv (validation).
        LAND_USE_AREAS: unit_area_table(unit_id, "land_use", AREA_LAND_USE),
        # The CLC change layer legitimately holds several rows per (territory, 2012 class, 2018 class): no unique key.
        "clc_changes.csv": TableSpec(
            columns=("territory_id", "clc_code_2012", "clc_code_2018", "area_ha", "provenance"),
            codes=("territory_id", "clc_code_2012", "clc_code_2018", "provenance"),
            numbers={"area_ha": AREA},
            formats={"territory_id": unit_id},
            allowed={"clc_code_2012": CLC_CODES, "clc_code_2018": CLC_CODES, "provenance": PROVENANCE},
            may_have_no_rows=True,
        ),
        "forest_areas.csv": TableSpec(
            columns=(
                "insee",
                "ign_commune_code",
                "epci_siren",
                "composition",
                "area_ha",
                "code_groupeser",
                "code_greco",
                "code_rad13",
                "code_bassin_populicole",
                "provenance",
            ),
            codes=("insee", "ign_commune_code", "epci_siren", "composition", "provenance"),
            numbers={"area_ha": AREA},
            formats={"insee": INSEE_CODE, "epci_siren": epci_id},
            allowed={
                "composition": AllowedValues(FOREST_COMPOSITIONS, "Feuillu, Conifere, Mixte ou Peupleraie"),
                "provenance": PROVENANCE,
            },
            unique_key=(
                "insee",
                "composition",
                "code_groupeser",
                "code_greco",
                "code_rad13",
                "code_bassin_populicole",
            ),
        ),
    }


def hedges_table(unit_id: CodeFormat, measure: str, unit: str, rule: NumberRule, *extra: str) -> TableSpec:
    """hedges.csv: one row per unit with its hedge `measure` column in `unit`, plus the method's `extra` columns."""
    columns = ("territory_id", *extra, measure, "unit", "provenance")
    return TableSpec(
        columns=columns,
        codes=tuple(column for column in columns if column != measure),
        numbers={measure: rule},
        formats={"territory_id": unit_id},
        allowed={"unit": one_of(unit), "provenance": PROVENANCE},
        unique_key=("territory_id",),
        may_have_no_rows=True,
    )


def keyed_table(key: ReferenceKey, lookup: dict[str, AllowedValues], value: str, rule: NumberRule) -> TableSpec:
    """A reference table with one number `value` per (key_type, key, `lookup` columns)."""
    names = ("key_type", "key", *lookup)
    return TableSpec(
        columns=(*names, value),
        codes=names,
        numbers={value: rule},
        formats=key.formats,
        allowed={"key_type": one_of(key.key_type), **lookup} | key.allowed,
        unique_key=names,
    )


def reference_tables(soil: ReferenceKey, biomass: ReferenceKey) -> dict[str, TableSpec]:
    """Reference tables: soil and non-forest biomass (keyed as the method says), IGN forest, wood use, constants."""
    return {
        "ref_soil_stocks.csv": keyed_table(soil, {"soil_class": SOIL_CLASS}, "tC_per_ha", OPTIONAL_DENSITY),
        "ref_soil_flux.csv": keyed_table(
            soil, {"from_flux_id": FLUX_ID, "to_flux_id": FLUX_ID}, "value", OPTIONAL_VALUE
        ),
        "ref_biomass_stocks.csv": keyed_table(biomass, {"land_use": ALDO_LAND_USE}, "tC_per_ha", OPTIONAL_DENSITY),
        "ref_biomass_flux.csv": keyed_table(
            biomass, {"from_land_use": ALDO_LAND_USE, "to_land_use": ALDO_LAND_USE}, "value", OPTIONAL_VALUE
        ),
        "ref_forest_ign.csv": TableSpec(
            columns=(
                "type_localisation",
                "code_localisation",
                "nom_localisation",
                "composition",
                "surface_ic",
                *IGN_VALUE_COLUMNS,
            ),
            codes=("type_localisation", "code_localisation", "composition", "surface_ic"),
            numbers=dict.fromkeys(IGN_VALUE_COLUMNS, OPTIONAL_VALUE),
            allowed={
                "type_localisation": AllowedValues(
                    IGN_LOCALISATION_TYPES, "groupeser, greco, rad13, bassin_populicole ou France"
                ),
                "surface_ic": AllowedValues(IGN_SIGNIFICANCE_VALUES, "s (significatif) ou n.s"),
            },
            unique_key=("type_localisation", "code_localisation", "composition"),
        ),
        "ref_wood_region.csv": TableSpec(
            columns=("code_rad13", "pct_bo", "pct_bi"),
            codes=("code_rad13",),
            numbers=dict.fromkeys(("pct_bo", "pct_bi"), NumberRule(non_negative=True, at_most=100, quantity="part")),
            unique_key=("code_rad13",),
        ),
        "constants.csv": TableSpec(
            columns=("name", "value", "unit", "note"),
            codes=("name",),
            numbers={"value": NumberRule()},
            unique_key=("name",),
        ),
    }
