"""Where uploaded bundles are kept: a private folder under MEDIA_ROOT, never served back to anyone."""

import uuid
from pathlib import Path

from indicators.services import upload_folder


def store_bundle(uploaded) -> Path:
    """Write an uploaded .zip under a random name (the editor's file name is only kept in the job record)."""
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4()}.zip"
    with path.open("xb") as destination:
        for chunk in uploaded.chunks():
            destination.write(chunk)
    return path
