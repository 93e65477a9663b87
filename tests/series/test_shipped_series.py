"""The series shipped in fixtures/series hold exactly the values of the seed documents they cite (../shared/seeds):
every published value is read back from the seed tables, and every seed value is published."""

import re
import unicodedata

import pytest

from indicators.series.selectors import published, series_points

pytestmark = [pytest.mark.django_db, pytest.mark.shared]

SNBC_DECREE = "002_fb67b2dc6284fe26.txt"
ENERGY_CROPS = "003_7b3017e3a39e6888.txt"
OBSERVATORY_ARTICLE = "001_d538a8cd1d79ab74.txt"
OBSERVATORY_PAGE = "000_dc557e8f077cf017.txt"


@pytest.fixture
def seeds(shared_dir):
    folder = shared_dir / "seeds"
    if not (folder / SNBC_DECREE).is_file():
        pytest.skip(f"{folder} has no seed documents: the shipped series cannot be checked against their sources")
    return lambda name: (folder / name).read_text(encoding="utf-8")


def published_values(slug: str) -> dict[tuple, float]:
    series = published(slug)
    assert series is not None, f"{slug} is not published (manage.py load_bundled_series)"
    points = series_points(series.version_id, series.metadata.geography)
    return {(point.zone.kind, point.zone.code, *point.dimensions, point.period): point.value for point in points}


def seed_number(text: str) -> float:
    return float(text.replace(",", "."))


def clean_label(text: str) -> str:
    """A seed row label without its HTML: "N <sub>2</sub> O (hors UTCATF)" → "N2O (hors UTCATF)"."""
    text = re.sub(r"\s*<sub>(.*?)</sub>(?:\s*(?=[A-Za-z]))?", r"\1", text)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()


def tab_blocks(text: str) -> list[list[list[str]]]:
    """The seed's tab-separated tables: runs of lines that hold a tab, each line split into cells."""
    blocks, current = [], []
    for line in text.splitlines():
        if "\t" in line:
            current.append(line.split("\t"))
        elif current:
            blocks.append(current)
            current = []
    return blocks + ([current] if current else [])


REPARTITIONS = {
    "Transports": "par domaine d'activité (décret, article 4)",
    "CO2 (hors UTCATF)": "par gaz (décret, article 5)",
    "Secteurs relevant du système communautaire d'échange de quotas d'émissions (hors aviation civile)": (
        "par catégorie du marché de quotas (décret)"
    ),
}
ANNUAL = "tranches annuelles indicatives (décret, article 6)"


def budget_values(text: str) -> dict[tuple, float]:
    """Annex I, A: the three budget tables (1990, 2005, 2015, then the periods of the 2nd-4th budgets) and the
    indicative annual totals. A "dont" row belongs to the row above it; "-" cells have no value."""
    values = {}
    for block in tab_blocks(text):
        if len(block) > 2 and "budget carbone (" in "".join(block[1]):
            periods = [
                re.search(r"\((\d{4}-\d{4})\)", cell).group(1) if "(" in cell else cell for cell in block[1][1:]
            ]
            repartition = REPARTITIONS[clean_label(block[2][0])]
            parent = ""
            for label, *cells in block[2:]:
                label = clean_label(label)
                if label.startswith("dont "):
                    label = f"{parent}, {label}"
                else:
                    parent = label
                for period, cell in zip(periods, cells, strict=False):
                    if cell.strip() not in ("", "-"):
                        values[("national", "FR", repartition, label, period)] = seed_number(cell)
        elif block[0][0].startswith("Parts annuelles indicatives"):
            years = block[1][1:]
            for label, *cells in block[2:]:
                for year, cell in zip(years, cells, strict=True):
                    values[("national", "FR", ANNUAL, clean_label(label), year)] = seed_number(cell)
    return values


def trajectory_values(text: str) -> dict[tuple, float]:
    """Annex II, §7: the land-sector trajectory, observed 2015 and 2019, projected 2015 to 2050."""
    block = next(block for block in tab_blocks(text) if any(row[0].startswith("UTCATF (") for row in block))
    periods = block[1][1:]
    data = ["observé (Secten 2020)"] * 2 + ["projeté (AMS 2018)"] * 4
    values = {}
    for label, *cells in block[2:]:
        label = clean_label(label)
        poste = "UTCATF (total)" if label.startswith("UTCATF") else label.removeprefix("Dont ").capitalize()
        for period, kind, cell in zip(periods, data, cells, strict=True):
            values[("national", "FR", poste, kind, period)] = seed_number(cell)
    return values


def normalized(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", "", plain).lower()


CROPS = ("Betterave à sucre", "Blé tendre", "Maïs grain", "Colza", "Tournesol")
ANNEXES = {
    "Article Annexe 1": "annexe 1 (inférieure à la valeur par défaut)",
    "Article Annexe 2": "annexe 2 (supérieure à la valeur par défaut)",
}


def energy_crop_values(text: str) -> dict[tuple, float]:
    """Annexes 1 and 2: each crop's table, "Valeur par défaut détaillée pour la culture" then region, value pairs
    ("-": no robust data, or no producing region)."""
    from indicators.series.zones import ZONES

    codes = {normalized(zone.name): code for (kind, code), zone in ZONES.items() if kind == "ancienne_region"}
    values = {}
    annex_parts = re.split(r"(Article Annexe \d)", text)
    for heading, body in zip(annex_parts[1::2], annex_parts[2::2], strict=True):
        if heading not in ANNEXES:
            continue
        for crop, table in re.findall(r"\n\s*[a-c]\) ([^\n]+)\n(.*?)(?=\n\s*[a-c]\) |\Z)", body, re.S):
            assert crop in CROPS, crop
            cells = [cell.strip() for cell in table.split("|")]
            cells = [cell for cell in cells if cell and not set(cell) <= {"-"}]
            start = cells.index("Valeur par défaut détaillée pour la culture")
            pairs = list(zip(cells[start::2], cells[start + 1 :: 2], strict=False))
            for name, cell in pairs:
                if cell == "-" or not re.fullmatch(r"[\d,]+", cell):
                    continue
                if name.startswith("Valeur par défaut"):
                    values[("national", "FR", crop, ANNEXES[heading], "2023")] = seed_number(cell)
                else:
                    values[("ancienne_region", codes[normalized(name)], crop, ANNEXES[heading], "2023")] = seed_number(
                        cell
                    )
    return values


def test_snbc_budgets_are_the_decrees(releases, seeds):
    expected = budget_values(seeds(SNBC_DECREE))
    assert len(expected) == 184
    assert published_values("snbc-budgets-carbone") == expected


def test_snbc_land_sector_trajectory_is_the_guides_annex(releases, seeds):
    expected = trajectory_values(seeds(SNBC_DECREE))
    assert len(expected) == 30
    assert published_values("snbc-trajectoire-utcatf") == expected


def test_energy_crop_values_are_the_decrees_annexes(releases, seeds):
    expected = energy_crop_values(seeds(ENERGY_CROPS))
    assert expected[("ancienne_region", "31", "Blé tendre", ANNEXES["Article Annexe 1"], "2023")] == 18
    assert expected[("national", "FR", "Maïs grain", ANNEXES["Article Annexe 2"], "2023")] == 20  # 25,5 in annex 1
    assert published_values("cultures-energetiques-ges") == expected


def test_regional_emissions_are_the_observatorys(releases, seeds):
    article = re.sub(r"\s+", " ", seeds(OBSERVATORY_ARTICLE))
    tonnes = re.search(r"émissions directes de GES étant de [^0-9]*(\d+) Mt éq\. CO2", article).group(1)
    year = re.search(r"émissions de GES régionales \(en (\d{4})\)", seeds(OBSERVATORY_PAGE)).group(1)
    assert published_values("emissions-ges") == {("region", "32", year): seed_number(tonnes)}
