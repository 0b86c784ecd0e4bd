import pytest

from tests.conftest import PASSWORD


@pytest.fixture
def api(client):
    """A JSON client for /api/v1 as a user (None: no token)."""

    def as_user(user):
        headers = {}
        if user is not None:
            response = client.post(
                "/api/v1/auth/token", {"username": user.username, "password": PASSWORD}, content_type="application/json"
            )
            headers = {"Authorization": f"Bearer {response.json()['token']}"}

        class Api:
            def get(self, path, **params):
                return client.get(f"/api/v1{path}", params, headers=headers)

            def post(self, path, data):
                return client.post(f"/api/v1{path}", data, content_type="application/json", headers=headers)

        return Api()

    return as_user
