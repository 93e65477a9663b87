"""Series fixtures: services run with their after-commit work (the publication's cache generation bump) done at once,
as it is once a real request commits."""

import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(service, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(*args, **kwargs)

    return run
