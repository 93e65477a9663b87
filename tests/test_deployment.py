"""The production shape: compose file accepted by a validator, production settings pass Django's deploy checks."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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
    for service in ["postgres", "redis", "web", "worker", "beat"]:
        assert f"\n  {service}:" in result.stdout, service
