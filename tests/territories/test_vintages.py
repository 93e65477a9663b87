"""Geography vintages are data: the site's declaration, a third vintage loaded without code, the loader's report."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from territories import vintages
from territories.declaration import SourceError
from territories.models import Correspondence
from territories.selectors import computation_bases, counterpart, get_territory
from territories.services import load_territories
from territories.sources import read_source

SOURCE = settings.FIXTURES_DIR / "territories"
VINTAGES_TOML = SOURCE / "vintages.toml"

# A third vintage with its own column names: a commune nouvelle of two ALDO communes, Amiens unchanged, one EPCI.
THIRD_VINTAGE = """
[[vintages]]
code = "2027"
label = "Géographie d'essai (communes 2027, EPCI 2027)"
short_label = "essai 2027"
commune_year = 2027
epci_year = 2027

[[vintages.files]]
kind = "commune"
path = "communes_2027.csv"
member_of = { epci = "siren_epci" }
aldo_communes = "anciennes_communes"
[vintages.files.columns]
code = "code_insee"
name = "nom"
population = "pop:int"
area_ha = "surface:float"
attributes = { siren_epci = "siren_epci" }

[[vintages.files]]
kind = "epci"
path = "epci_2027.csv"
[vintages.files.columns]
code = "siren"
name = "nom"
population = "pop:int"

[[vintages.crosswalks]]
kind = "epci"
path = "passage_epci_2027.csv"
[vintages.crosswalks.columns]
aldo_code = "siren_aldo"
code = "siren"
share_of_source = "part_aldo:float"
share_of_target = "part_2027:float"
"""
THIRD_VINTAGE_FILES = {
    "communes_2027.csv": (
        "code_insee,nom,siren_epci,pop,surface,anciennes_communes\n"
        "80021,Amiens,200099999,136449,5035.5,80021\n"
        "80999,Abbeville-Ablaincourt,200099999,22658,3618.9,80001;80002\n"
    ),
    "epci_2027.csv": "siren,nom,pop\n200099999,CA d'essai,159107\n",
    "passage_epci_2027.csv": (
        "siren_aldo,siren,part_aldo,part_2027\n"
        "248000531,200099999,1.0,0.58\n"
        "200070993,200099999,0.066,0.30\n"
        "200070993,200088888,0.934,1.0\n"  # its target is in no declared file
    ),
}


def source_with_third_vintage(folder: Path) -> Path:
    """``folder``: the real reference files (linked) and their declaration plus the third vintage."""
    for path in SOURCE.iterdir():
        if path.name != VINTAGES_TOML.name:
            (folder / path.name).symlink_to(path)
    (folder / VINTAGES_TOML.name).write_text(VINTAGES_TOML.read_text(encoding="utf-8") + THIRD_VINTAGE, "utf-8")
    for name, text in THIRD_VINTAGE_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_site_vintages_come_from_the_declaration():
    assert [vintage.code for vintage in vintages.VINTAGES] == ["2018", "2026"]
    assert vintages.ALDO.code == "2018" and vintages.CURRENT.code == "2026"
    assert vintages.CODES == {"2018", "2026"} and vintages.get("2026") is vintages.CURRENT
    assert vintages.get("1999") is None and vintages.get(None) is None
    assert (vintages.ALDO.commune_year, vintages.ALDO.epci_year) == (2018, 2018)
    assert (vintages.CURRENT.commune_year, vintages.CURRENT.epci_year) == (2026, 2025)
    assert vintages.CURRENT.label_with_years == "actuelle (communes 2026, EPCI 2025)"
    assert vintages.ALDO.short_label == "ALDO 2018"


def test_territory_knows_its_vintage(loaded_territories):
    amiens = get_territory("commune", "80021", "2018")
    assert amiens.vintage is vintages.ALDO
    assert amiens.vintage.label == "Géographie ALDO (communes 2018, EPCI au 1er janvier 2018)"
    assert amiens.get_absolute_url() == "/territoire/commune/80021/?geographie=2018"
    assert get_territory("commune", "80021").vintage is vintages.CURRENT


def test_a_third_vintage_is_a_data_change(loaded_territories, tmp_path):
    summary = load_territories(source_with_third_vintage(tmp_path))

    assert summary.geographies == ("2018", "2026", "2027")
    assert (summary.counts[("commune", "2027")], summary.counts[("epci", "2027")]) == (2, 1)
    assert (summary.territories_created, summary.territories_updated) == (3, 0)  # the other vintages are untouched
    assert (summary.memberships_created, summary.memberships_deleted, summary.correspondences_deleted) == (2, 0, 0)
    assert "commune        3886   3782      2" in summary.lines()
    # The site shows the vintages of fixtures/territories/vintages.toml: the summary says this one is not among them.
    assert summary.lines()[-1].startswith("vintage 2027 is not declared in the site's vintages.toml")

    merged = get_territory("commune", "80999", "2027")
    assert (merged.name, merged.population, merged.area_ha) == ("Abbeville-Ablaincourt", 22658, 3618.9)
    assert merged.attributes == {"siren_epci": "200099999"}
    epci = get_territory("epci", "200099999", "2027")
    assert sorted(epci.members.values_list("code", flat=True)) == ["80021", "80999"]
    # Commune crosswalk: shares from the areas of the ALDO communes (2638.4 ha and 980.5 ha) and of the new one.
    shares = {
        c.source.code: (c.share_of_source, c.share_of_target)
        for c in Correspondence.objects.filter(target=merged).select_related("source")
    }
    assert shares == {"80001": (1.0, round(2638.4 / 3618.9, 4)), "80002": (1.0, round(980.5 / 3618.9, 4))}
    predecessors = {link.territory.code: link.share_of_target for link in counterpart(epci).predecessors}
    assert predecessors == {"248000531": 0.58, "200070993": 0.30}
    # The new vintage's territories have an ALDO basis: the engine can compute them without code either.
    assert computation_bases("commune")[epci.pk].units == ("80001", "80002", "80021")
    assert not computation_bases("epci")[epci.pk].available  # not a union of whole 2018 EPCIs

    again = load_territories(tmp_path)
    assert not again.changed, again.lines()


def test_the_summary_names_each_skipped_row(loaded_territories, tmp_path, capsys):
    summary = load_territories(source_with_third_vintage(tmp_path))
    assert summary.correspondences_skipped == [
        "epci_crosswalk_aldo2018_2025.csv line 48: 200071843 (2018) → 200071843 (2026): "
        "epci 200071843 (2026) is not among the loaded territories",
        "passage_epci_2027.csv line 4: 200070993 (2018) → 200088888 (2027): "
        "epci 200088888 (2027) is not among the loaded territories",
    ]
    call_command("load_territories", "--source", str(SOURCE))
    out = capsys.readouterr().out
    assert "correspondences: 0 created, 0 updated, 0 deleted, 1 skipped" in out
    assert (
        "  skipped: epci_crosswalk_aldo2018_2025.csv line 48: 200071843 (2018) → 200071843 (2026): "
        "epci 200071843 (2026) is not among the loaded territories"
    ) in out.splitlines()


# --- errors name the file, the line and the column -----------------------------------------------------------

ALDO_ONLY = """
[[vintages]]
code = "2018"
label = "Géographie ALDO"
short_label = "ALDO"
commune_year = 2018
epci_year = 2018
aldo = true
default = true

[[vintages.files]]
kind = "commune"
path = "communes.csv"
[vintages.files.columns]
code = "insee"
name = "nom"
population = "pop:int"
"""


@pytest.mark.parametrize(
    ("declaration", "communes", "message"),
    [
        (
            ALDO_ONLY,
            "insee,nom,pop\n80021,Amiens,beaucoup\n",
            "communes.csv line 2, column pop: 'beaucoup' is not a number",
        ),
        (ALDO_ONLY, "insee,nom\n80021,Amiens\n", "communes.csv: missing column(s) ['pop']"),
        (
            ALDO_ONLY,
            "insee,nom,pop\n80021,Amiens,1\n80021,Amiens,1\n",
            "communes.csv line 3: ('commune', '80021', '2018')",
        ),
        (ALDO_ONLY, "insee,nom,pop\n,Amiens,1\n", "communes.csv line 2, column insee: empty code"),
        (ALDO_ONLY.replace('"pop:int"', '"pop:entier"'), "", "vintage 2018, files 1 (communes.csv), columns"),
        (ALDO_ONLY.replace("aldo = true\n", ""), "", "exactly one vintage must have `aldo = true`"),
        (ALDO_ONLY.replace('kind = "commune"', 'kind = "comune"'), "", "communes.csv: unknown kind 'comune'"),
        (ALDO_ONLY.replace('code = "2018"', 'code = "20180"'), "", "`code` must have 1 to 4 characters"),
        (
            ALDO_ONLY.replace("[vintages.files.columns]", "colour = 'red'\n[vintages.files.columns]"),
            "",
            "unknown keys ['colour']",
        ),
    ],
)
def test_errors_name_file_line_and_column(tmp_path, declaration, communes, message):
    (tmp_path / "vintages.toml").write_text(declaration, encoding="utf-8")
    (tmp_path / "communes.csv").write_text(communes, encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        read_source(tmp_path)
    assert message in str(raised.value)
