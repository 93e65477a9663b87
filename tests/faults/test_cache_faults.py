"""The cache under faults, on a real Redis server: stopped during a publication, stopped or hanging during page views.
Pages are slower without it, never wrong and never an error; the release they show is the one PostgreSQL says is
published, even when Redis comes back holding the pages of the previous one."""

import time

import pytest
import redis
from django.urls import reverse

from indicators.models import ImportJob, Release
from indicators.services import start_import

from .conftest import SAMPLE_PAGE, cache_on, published_checksums, sample_archive, shown_release
from .processes import wait_until

pytestmark = [pytest.mark.postgresql, pytest.mark.xdist_group("celery_worker")]

PUBLIC_URLS = [
    SAMPLE_PAGE,
    "/indicateurs/stock-carbone/",
    "/telecharger/epci/200071785/stock-carbone.csv",
    "/telecharger/epci/200071785/pcaet.xlsx",
    "/telecharger/region/epci.xlsx",
    "/api/v1/releases/",
    "/api/v1/territories/epci/200071785/values/",
    "/",
]


def cached_keys(server) -> int:
    return redis.Redis.from_url(server.url()).dbsize()


def test_publishing_while_the_cache_is_down_switches_every_page_at_once(
    site, redis_server, editor_client, client, tmp_path
):
    with cache_on(redis_server):
        assert shown_release(client.get(SAMPLE_PAGE).content.decode()) == "REFERENCE"  # now cached
        staged = start_import(sample_archive(tmp_path), "nouveau")  # in-process
        staged.refresh_from_db()
        assert staged.state == ImportJob.State.READY
        before = published_checksums()
        redis_server.stop()

        response = editor_client.post(
            reverse("editor:release_action", args=[staged.release.pk, "publier"]), follow=True
        )
        assert response.status_code == 200
        assert "NOUVEAU est publié et affiché par défaut." in response.content.decode()
        assert Release.objects.current() == staged.release
        assert shown_release(client.get(SAMPLE_PAGE).content.decode()) == "NOUVEAU"  # rendered without cache

        redis_server.start()
        assert cached_keys(redis_server) > 0  # Redis came back with the pages of REFERENCE still inside

        def cached_again() -> bool:
            assert shown_release(client.get(SAMPLE_PAGE).content.decode()) == "NOUVEAU"  # never the stale page
            return cached_keys(redis_server) > before_keys

        before_keys = cached_keys(redis_server)
        wait_until(cached_again, 30, "the page cached again once Redis is back", interval=1)
        assert shown_release(client.get(SAMPLE_PAGE).content.decode()) == "NOUVEAU"  # from the cache now
        assert client.get("/api/v1/releases/nouveau/").status_code == 200
    published_now = published_checksums()
    assert {slug: published_now[slug] for slug in before} == before  # publishing moved no figure


@pytest.mark.parametrize("fault", ["stopped", "hanging"])
def test_pages_downloads_and_api_answer_while_the_cache_is_down(fault, site, redis_server, client):
    before = published_checksums()
    with cache_on(redis_server):
        client.get(SAMPLE_PAGE)
        redis_server.stop() if fault == "stopped" else redis_server.pause()
        try:
            for url in PUBLIC_URLS:
                started = time.monotonic()
                response = client.get(url)
                took = time.monotonic() - started
                assert response.status_code == 200, url
                assert took < 5, f"{url}: {took:.1f} s with the cache {fault}"
            assert shown_release(client.get(SAMPLE_PAGE).content.decode()) == "REFERENCE"
        finally:
            redis_server.start() if fault == "stopped" else redis_server.resume()
    assert published_checksums() == before
