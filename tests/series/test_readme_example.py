"""The series example of the README imports, and gives what the README says it gives."""

import re
from pathlib import Path

import pytest

from indicators.frames import compensation
from indicators.selectors import territory_figures
from indicators.series.services import import_series, publish_series
from territories.models import Territory

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.django_db


def test_the_readme_example_imports_and_gives_the_arras_and_mel_pages_their_compensation(releases, committed):
    section = README.read_text().split("## Indicator series; the national and European frames", 1)[1]
    section = section.split("\n## ", 1)[0]  # up to the next section
    blocks = dict(re.findall(r"```(toml|csv)\n(.*?)```", section, flags=re.DOTALL))
    version = import_series(blocks["toml"].encode(), "metadonnees.toml", blocks["csv"].encode(), "valeurs.csv")
    committed(publish_series, version)
    for code in ("200093201", "200033579"):
        epci = Territory.objects.get(kind="epci", code=code, geography="2026")
        found = compensation(territory_figures(releases["chanterelle"], epci))
        assert found is not None and found.year == "2018"
