"""Fault-injection fixtures: a published site on the test database, and a RabbitMQ node, a Redis server and Celery
processes of the tests' own (started on free ports, stopped at the end), which the tests kill and restart.

The published release is a one-EPCI bundle ("REFERENCE", EPCI 200071785), imported and published in-process; the
imports under fault are the full CHANTERELLE fixture (about 10 s: long enough to be interrupted in the middle).
"""

import hashlib
import io
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from indicators.editor.permissions import add_editor
from indicators.models import ImportJob, Release
from indicators.services import publish_release, start_import
from observatory.celery import app as celery_app
from observatory.settings.base import redis_cache
from tests.aldo.malformed import sample_bundle_files, write_zip

from .processes import (
    RABBITMQ_SERVER,
    REDIS_SERVER,
    CeleryProcess,
    RabbitMQNode,
    RedisServer,
    celery_environment,
    wait_until,
)

SAMPLE_PAGE = "/territoire/epci/200071785/"
FINISHED = (ImportJob.State.READY, ImportJob.State.FAILED)


def shown_release(html: str) -> str:
    """The release a territory page says it shows."""
    marker = '<p class="figures-source">Millésime <strong>'
    assert marker in html, html[:2000]
    return html.split(marker, 1)[1].split("</strong>", 1)[0]


def published_checksums() -> dict[str, str]:
    """SHA-256 of `manage.py export_indicators` for every published release: the published figures."""
    checksums = {}
    for slug in Release.objects.published().values_list("slug", flat=True):
        output = io.StringIO()
        call_command("export_indicators", "--release", slug, stdout=output)
        checksums[slug] = hashlib.sha256(output.getvalue().encode()).hexdigest()
    return checksums


def finished(job: ImportJob, timeout: float = 300) -> ImportJob:
    def refreshed():
        job.refresh_from_db()
        return job.state in FINISHED

    wait_until(refreshed, timeout, f"import n° {job.pk} finishing ({job.state})", interval=0.5)
    return job


def sample_archive(folder, name: str = "echantillon.zip"):
    return write_zip(sample_bundle_files(), folder / name)


@pytest.fixture
def site(transactional_db, tmp_path):
    """Territories, and the sample bundle imported and published as REFERENCE (in-process): the only release."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL), as .ci/run sets it")
    call_command("flush", interactive=False, verbosity=0)  # the session's releases: slower exports, other names
    call_command("load_territories", verbosity=0)
    job = start_import(sample_archive(tmp_path), "reference")  # runs on commit, in-process
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY, (job.message, job.report)
    return publish_release(job.release)


@pytest.fixture
def editor_client(client, site):
    editor = get_user_model().objects.create_user("editrice", password="un mot de passe assez long")
    add_editor(editor)
    client.force_login(editor)
    return client


@pytest.fixture(scope="module")
def rabbitmq(tmp_path_factory):
    if not RABBITMQ_SERVER.exists():
        pytest.skip("Debian's rabbitmq-server is missing")
    node = RabbitMQNode(tmp_path_factory.mktemp("rabbitmq"))
    node.start()
    yield node
    node.stop()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    if REDIS_SERVER is None:
        pytest.skip("Debian's redis-server is missing")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(rabbitmq, site, monkeypatch):
    """This process sends its jobs to the tests' RabbitMQ node instead of running them in-process."""
    if not rabbitmq.running:  # left stopped by a test that failed
        rabbitmq.start()
    monkeypatch.setenv("CELERY_BROKER_URL", rabbitmq.url)  # Celery reads it before its configuration
    conf = celery_app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = rabbitmq.url, False
    _forget_broker_connections()
    celery_app.control.purge()  # nothing left over from another test
    yield rabbitmq
    conf.broker_url, conf.task_always_eager = saved
    _forget_broker_connections()


def _forget_broker_connections() -> None:
    # Celery keeps its connection and producer pools per app, bound to the broker of their first use.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def cache_on(redis_server: RedisServer):
    """This process's cache on the tests' Redis server, as in production (the fail-safe Redis backend)."""
    with override_settings(CACHES={"default": redis_cache(redis_server.url())}):
        yield


@pytest.fixture
def celery_processes(broker, redis_server, tmp_path):
    """Start Celery workers and beat on the test database, the tests' broker and cache; all are killed at the end
    (their logs are shown when the test failed)."""
    environment = celery_environment(broker.url, redis_server.url())
    started: list[CeleryProcess] = []

    def start(kind: str, name: str) -> CeleryProcess:
        process = CeleryProcess(tmp_path / "celery", name, environment)
        process.start_worker() if kind == "worker" else process.start_beat()
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        print(f"--- {process.name} ---\n{process.tail()}")  # shown by pytest when the test failed
    print(f"--- rabbitmq ---\n{broker.tail(3000)}")
