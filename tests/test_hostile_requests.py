"""Hostile input to any public URL gets a 400 or a 404, never a server error; oversized bodies are refused before
they are read; DEBUG is off unless asked for."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from indicators.editor.permissions import add_editor

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/territoire/epci/%00/",
    "/territoire/epci/200071785/?millesime=%00",
    "/territoire/epci/200071785/?geographie=%00",
    "/comparer/epci/200071785/?millesime=%00",
    "/indicateurs/stock-carbone/?millesime=%00&geographie=%00",
    "/indicateurs/contours/epci-%00.geojson",
    "/telecharger/epci/200071785/stock-carbone.csv?millesime=%00",
    "/telecharger/region/epci.xlsx?millesime=%00",
    "/recherche/?q=%00",
    "/recherche.json?q=%00",
    "/editeur/connexion/?next=%00",
]
API_NUL_URLS = [
    "/api/v1/releases/%00/",
    "/api/v1/territories/?q=%00",
    "/api/v1/territories/epci/%00/values/",
    "/api/v1/territories/epci/200071785/values/?release=%00&format=csv",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_character_anywhere_in_a_url_gets_a_400_page_in_french(client, releases, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Adresse invalide" in response.content.decode()


@pytest.mark.parametrize("url", API_NUL_URLS)
def test_a_nul_character_in_an_api_url_gets_a_json_400(client, releases, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "caractère nul" in response.json()["detail"]


def test_every_api_operation_documents_that_400(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "application/json" in operation["responses"]["400"]["content"], (method, path)


@pytest.mark.parametrize("cookie", ['sessionid="abcdefghijkl\\000mnopqrstuvwxyz"', "sessionid=abcdefghijkl\x00mnop"])
def test_a_nul_character_in_a_cookie_gets_a_400(client, releases, cookie):
    assert client.get("/editeur/", HTTP_COOKIE=cookie).status_code == 400


def request_headers_only(server_url: str, path: str, length: int, cookie: str = "") -> tuple[str, float]:
    """Announce a body of ``length`` bytes, send 1 kB of it, and read the answer: (status line, seconds)."""
    host, port = server_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        started = time.monotonic()
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {length}\r\n{cookie}\r\n".encode()
            + b"x" * 1024
        )
        answer = connection.recv(4096).decode(errors="replace")
        return answer.split("\r\n", 1)[0], time.monotonic() - started


def test_a_huge_anonymous_post_to_the_upload_url_is_refused_before_its_body_is_read(live_server, transactional_db):
    status, took = request_headers_only(live_server.url, "/editeur/importer/", 2 * 1024**3)
    assert " 413 " in status
    assert took < 5  # answered at once: the 2 GiB announced were never waited for, nor written anywhere


def test_an_editor_upload_larger_than_the_bundle_limit_is_refused_before_its_body_is_read(
    live_server, transactional_db, client
):
    editor = get_user_model().objects.create_user("editrice", password="un mot de passe assez long")
    add_editor(editor)
    client.force_login(editor)
    cookie = f"Cookie: {settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}\r\n"
    limit = settings.BUNDLE_UPLOAD_MAX_BYTES
    assert " 413 " in request_headers_only(live_server.url, "/editeur/importer/", limit + 2 * 1024**2, cookie)[0]
    # within the limit the body is read (and this one, without its CSRF token, refused for that)
    assert " 403 " in request_headers_only(live_server.url, "/editeur/importer/", 1024, cookie)[0]


@pytest.mark.parametrize(("value", "debug"), [(None, False), ("0", False), ("1", True)])
def test_debug_is_off_unless_explicitly_enabled(value, debug):
    environment = {name: text for name, text in os.environ.items() if name != "DJANGO_DEBUG"}
    if value is not None:
        environment["DJANGO_DEBUG"] = value
    environment["DJANGO_SETTINGS_MODULE"] = "observatory.settings.base"
    shown = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG)"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    assert shown == str(debug)
