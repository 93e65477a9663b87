"""Property-based check of the API against its own OpenAPI schema (schemathesis): no 5xx, responses conform.

The schema is read from the running WSGI application (the schema view needs no database); each operation
gets a few generated requests, run in a test database.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def unthrottled(monkeypatch):
    # Hundreds of requests in a few seconds: the anonymous rate limit is tested in test_api.py.
    monkeypatch.setattr(AnonRateThrottle, "allow_request", lambda self, request, view: True)


@pytest.fixture(autouse=True)
def test_transaction_survives_requests():
    # Requests go straight to the WSGI application, whose end-of-request hook would close the test's
    # connection (and its transaction); Django's test client disconnects it in the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    # DRF, like most APIs, ignores malformed optional parameters (``?offset=x``) instead of refusing them,
    # and a well-formed code may name no territory: only the checks on what the API answers apply.
    case.call_and_validate(excluded_checks=[negative_data_rejection, positive_data_acceptance])
