"""A valid test series (EPCI emissions of three EPCIs of the current geography) and a corpus of broken variants, each
with the problem an editor must read: file, row, column and a French message."""

from dataclasses import dataclass

METADATA = """\
slug = "emissions-ges-epci"
nom = "Émissions de GES des intercommunalités"
nom_court = "Émissions EPCI"
definition = "Émissions directes de gaz à effet de serre de chaque intercommunalité, tous secteurs."
unite = "ktCO2e/an"
convention_signe = "Des émissions : toujours positives."
source = "Observatoire Climat Hauts-de-France, inventaire test"
licence = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
geographie = "2026"
frequence = "Annuelle"
role = "emissions"
"""
# MEL, CC de Desvres-Samer, CU d'Arras (EPCIs of 2025, geography "2026"); decimal commas as French Excel writes them.
VALUES = """\
type_territoire;code_territoire;periode;valeur
epci;200093201;2016;7 310,5
epci;200093201;2018;7 012,25
epci;200018083;2018;310,4
epci;200033579;2018;820
"""
MEL_2018_TONNES = 7_012_250.0


@dataclass(frozen=True)
class Case:
    name: str
    metadata: str
    values: str
    file: str
    row: int | None
    column: str | None
    message: str  # a fragment of the French message


def metadata_with(**changes: str | None) -> str:
    """The test metadata with some keys replaced (a TOML value as written) or removed (None)."""
    lines = []
    for line in METADATA.splitlines():
        key = line.split(" = ")[0]
        if key in changes:
            if changes[key] is not None:
                lines.append(f"{key} = {changes[key]}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


CASES = [
    Case(
        "unknown code",
        METADATA,
        VALUES + "epci;999999999;2018;12\n",
        "valeurs.csv",
        6,
        "code_territoire",
        "code « 999999999 » (epci) inconnu en géographie 2026",
    ),
    Case(
        "code of another vintage",
        METADATA,
        VALUES + "epci;245900410;2018;12\n",  # MEL's SIREN of 2018: the EPCIs of 1 January 2018 only
        "valeurs.csv",
        6,
        "code_territoire",
        "connu en géographie 2018 : vérifiez la géographie déclarée",
    ),
    Case(
        "lost leading zero",
        METADATA,
        VALUES + "departement;2;2018;5\n",
        "valeurs.csv",
        6,
        "code_territoire",
        "Un zéro initial a-t-il été perdu (« 02 »)",
    ),
    Case(
        "duplicate key",
        METADATA,
        VALUES + "epci;200018083;2018;311\n",
        "valeurs.csv",
        6,
        "type_territoire",
        "ligne en double : même territoire, période et dimensions que la ligne 4",
    ),
    Case(
        "bad unit",
        metadata_with(unite='"Mt"'),
        VALUES,
        "metadonnees.toml",
        None,
        "unite",
        "unité « Mt » inconnue ; unités possibles :",
    ),
    Case(
        "emissions in a unit that is not CO2e",
        metadata_with(unite='"GWh/an"'),
        VALUES,
        "metadonnees.toml",
        None,
        "unite",
        "une série d'émissions s'exprime en",
    ),
    Case(
        "missing metadata",
        metadata_with(licence=None),
        VALUES,
        "metadonnees.toml",
        None,
        "licence",
        "champ obligatoire manquant : « licence »",
    ),
    Case(
        "wrong vintage",
        metadata_with(geographie='"2017"'),
        VALUES,
        "metadonnees.toml",
        None,
        "geographie",
        "géographie « 2017 » inconnue ; géographies possibles : 2018, 2026",
    ),
    Case(
        "slug of an ALDO indicator",
        metadata_with(slug='"flux-carbone"'),
        VALUES,
        "metadonnees.toml",
        None,
        "slug",
        "déjà celui d'un indicateur ALDO",
    ),
    Case(
        "not a number",
        METADATA,
        VALUES + "epci;200093201;2019;beaucoup\n",
        "valeurs.csv",
        6,
        "valeur",
        "« beaucoup » n'est pas un nombre",
    ),
    Case(
        "bad period",
        METADATA,
        VALUES + "epci;200093201;2020-2019;12\n",
        "valeurs.csv",
        6,
        "periode",
        "période « 2020-2019 » invalide",
    ),
    Case(
        "undeclared column",
        METADATA,
        "type_territoire;code_territoire;periode;secteur;valeur\nepci;200093201;2018;industrie;12\n",
        "valeurs.csv",
        1,
        "secteur",
        "colonne « secteur » inattendue",
    ),
    Case(
        "broken TOML",
        METADATA + 'note = "pas fermé\n',
        VALUES,
        "metadonnees.toml",
        12,
        None,
        "n'est pas un TOML valide",
    ),
]
