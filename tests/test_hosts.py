"""A request for a host the archive does not serve is refused with 400, never a 500."""

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/search/?q=报", "/api/articles/", "/admin/login/", "/no-such-page/"])
def test_a_host_not_in_allowed_hosts_gets_400(path, settings):
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    response = Client(raise_request_exception=False).get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
