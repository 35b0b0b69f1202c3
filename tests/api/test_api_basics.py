"""The API skeleton: bearer tokens, the error format and the OpenAPI document."""
import pytest

from exchange.permissions import SYSTEM
from tests.conftest import bearer


def test_me_with_token(client, make):
    user = make.user(name="Ada Byron")
    response = client.get("/api/v1/me", headers=bearer(make.token(user)))
    assert response.status_code == 200
    assert response.json["name"] == "Ada Byron"
    assert response.json["agency"]["slug"] == user.agency.slug


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer ", "Bearer exo_wrong", "Basic dXNlcjpwYXNz",
                                    "bearer " + "x" * 500])
def test_me_without_a_valid_token_is_401_json(client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.is_json
    assert set(response.json["error"]) >= {"code", "message"}


def test_token_of_deactivated_user_is_refused(client, make, app):
    user = make.user()
    secret = make.token(user)
    with app.app_context():
        from exchange.accounts.services import get_user, set_active

        set_active(SYSTEM, get_user(user.id), False)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_session_cookie_does_not_authenticate_the_api(client, make, auth):
    auth.login(make.user())
    assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_on_api_is_json_405(client):
    response = client.delete("/api/v1/me")
    assert response.status_code in (404, 405)
    assert response.is_json


def test_agencies_list(client, make):
    make.agency("harbour-city", name="Harbour City Council", domains=["harbour.example.gov"])
    response = client.get("/api/v1/agencies")
    assert response.status_code == 200
    assert any(a["slug"] == "harbour-city" and a["name"] == "Harbour City Council" for a in response.json["items"])


def test_openapi_document_is_valid(client):
    from openapi_spec_validator import validate

    document = client.get("/api/v1/openapi.json").json
    validate(document)
    assert "/me" in document["paths"] and "/agencies" in document["paths"]


def test_api_is_closed_to_visitors_when_public_read_is_off(new_app):
    app = new_app(PUBLIC_READ=False)
    assert app.test_client().get("/api/v1/agencies").status_code == 401


def test_site_is_closed_to_visitors_when_public_read_is_off(new_app):
    client = new_app(PUBLIC_READ=False).test_client()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/login").status_code == 200
    assert client.get("/healthz").status_code == 200
