"""Editor-area fixtures: an editor, a logged-in client, and the HETRE fixture bundle as a .zip upload."""

import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from indicators.editor.permissions import add_editor

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("editrice", password=PASSWORD)
    add_editor(user)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def zip_folder(folder: Path, archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.iterdir()):
            bundle.write(path, path.name)
    return archive


@pytest.fixture
def hetre_zip(tmp_path) -> Path:
    return zip_folder(settings.FIXTURES_DIR / "aldo" / "hetre", tmp_path / "hetre-corrige.zip")
