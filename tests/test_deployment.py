"""The production shape: compose file accepted by a validator, production settings pass Django's deploy checks."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_production_settings_pass_the_deploy_checks():
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "observatory.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "observatoire.example.fr",
    }
    check = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_compose_file_is_accepted_by_docker_compose(tmp_path):
    validator = shutil.which("docker-compose")
    if validator is None:
        pytest.skip("Debian's docker-compose is missing: run `make system`")
    # The compose file reads its secrets from .env, which is never committed: the example stands in for it.
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    result = subprocess.run(
        [validator, "config"], cwd=tmp_path, capture_output=True, text=True, env={"PATH": os.environ["PATH"]}
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {"postgres", "rabbitmq", "redis", "migrate", "web", "nginx", "worker", "beat"}
    for name, service in services.items():
        assert service["restart"] == ("no" if name == "migrate" else "unless-stopped"), name
    assert services["worker"]["environment"]["CELERY_BROKER_URL"].startswith("amqp://")
    assert services["worker"]["mem_limit"]
    assert services["web"]["environment"]["DJANGO_TRUSTED_PROXIES"] == "1"  # nginx, and nothing else, in front
    assert services["nginx"]["ports"] == [{"published": 80, "target": 80}] and "ports" not in services["web"]


def test_the_web_server_takes_bundles_of_the_upload_limit_and_nothing_larger_elsewhere():
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    upload = config.split("location = /editeur/importer/", 1)[1]
    upload_limit = int(re.search(r"client_max_body_size (\d+)m;", upload).group(1))
    other_limit = int(re.search(r"client_max_body_size (\d+)m;", config).group(1))
    assert 0 <= upload_limit * 1024**2 - settings.BUNDLE_UPLOAD_MAX_BYTES <= 1024**2  # the bundle and its form
    assert other_limit < upload_limit
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
