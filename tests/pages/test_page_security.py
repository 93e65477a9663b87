"""Names from data are escaped, no inline script runs, and the vendored plotly.js matches plotly.py."""

import re
from pathlib import Path

import plotly.offline
import pytest
from django.conf import settings

from indicators.models import TerritoryResult
from territories.models import Territory

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
PAGES = [
    "/",
    "/indicateurs/",
    "/indicateurs/flux-carbone/",
    "/territoire/epci/200093201/",
    "/territoire/commune/80021/",
    "/territoire/epci/200093201/scenario/?haies_cultures=1000",
]


@pytest.mark.parametrize("url", PAGES)
def test_csp_header_and_no_inline_script(client, releases, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_hostile_territory_names_are_escaped(client, releases):
    result = (
        TerritoryResult.objects.filter(
            release=releases["chanterelle"], available=True, territory__kind="epci", territory__geography="2026"
        )
        .select_related("territory")
        .first()
    )
    territory = result.territory
    Territory.objects.filter(pk=territory.pk).update(name=HOSTILE)
    for url in (f"/territoire/epci/{territory.code}/", "/indicateurs/stock-carbone/", "/"):
        html = client.get(url).content.decode()
        assert HOSTILE not in html
        assert "<img src=x" not in html
    # names inside the figures' JSON are escaped too (json_script escapes <, > and &)
    html = client.get("/indicateurs/stock-carbone/").content.decode()
    assert "\\u003Cscript\\u003E" in html


def test_vendored_plotly_is_the_version_plotly_py_expects():
    version = plotly.offline.get_plotlyjs_version()
    vendor = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly"
    for bundle in ("plotly-basic.min.js", "plotly-geo.min.js"):
        assert f"v{version}" in (vendor / bundle).read_text(encoding="utf-8")[:200]
    assert (vendor / "topojson" / "europe_110m.json").is_file()
