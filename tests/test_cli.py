"""The exchange command group on good and bad input."""
from tests.conftest import PASSWORD


def _ok(result):
    assert result.exit_code == 0, result.output
    return result.output


def _refused(result, words):
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert words.lower() in lines[0].lower(), lines[0]


def test_agency_add(runner):
    output = _ok(runner.invoke(args=["agency", "add", "harbour", "--name", "Harbour City", "--acronym", "HCC",
                                     "--domain", "harbour.example.gov", "--level", "local", "--country", "gb"]))
    assert "harbour" in output
    result = runner.invoke(args=["agency", "add", "harbour", "--name", "Again"])
    _refused(result, "already exists")


def test_agency_add_bad_domain_and_country(runner):
    _refused(runner.invoke(args=["agency", "add", "x1", "--name", "X One", "--domain", "not a domain"]),
             "not an email domain")
    _refused(runner.invoke(args=["agency", "add", "x2", "--name", "X Two", "--country", "Britain"]), "two-letter")
    _refused(runner.invoke(args=["agency", "add", "Bad Slug!", "--name", "X Three"]), "slug")


def test_agency_domain_cannot_belong_to_two_agencies(runner):
    _ok(runner.invoke(args=["agency", "add", "one", "--name", "One", "--domain", "shared.example.gov"]))
    _refused(runner.invoke(args=["agency", "add", "two", "--name", "Two", "--domain", "shared.example.gov"]),
             "already belongs")


def test_user_add_generates_and_prints_a_password(runner, client):
    _ok(runner.invoke(args=["agency", "add", "harbour", "--name", "Harbour", "--domain", "harbour.example.gov"]))
    output = _ok(runner.invoke(args=["user", "add", "kim@harbour.example.gov", "--name", "Kim", "--agency", "harbour"]))
    password = output.split("Password: ")[1].strip()
    assert len(password) >= 12
    assert client.post("/login", data={"email": "kim@harbour.example.gov", "password": password}).status_code == 302


def test_user_add_with_password_stdin(runner, client):
    _ok(runner.invoke(args=["agency", "add", "harbour", "--name", "Harbour", "--domain", "harbour.example.gov"]))
    output = _ok(runner.invoke(args=["user", "add", "kim@harbour.example.gov", "--name", "Kim", "--agency", "harbour",
                                     "--admin", "--password-stdin"], input=PASSWORD + "\n"))
    assert PASSWORD not in output and "admin" in output
    assert client.post("/login", data={"email": "kim@harbour.example.gov", "password": PASSWORD}).status_code == 302


def test_user_add_refusals(runner, make):
    agency = make.agency("harbour", domains=["harbour.example.gov"])
    _refused(runner.invoke(args=["user", "add", "kim@harbour.example.gov", "--name", "Kim", "--agency", "nowhere"]),
             "no agency")
    _ok(runner.invoke(args=["user", "add", "kim@harbour.example.gov", "--name", "Kim", "--agency", agency.slug]))
    _refused(runner.invoke(args=["user", "add", "KIM@harbour.example.gov", "--name", "Kim", "--agency", agency.slug]),
             "already exists")
    _refused(runner.invoke(args=["user", "add", "not-an-email", "--name", "Kim", "--agency", agency.slug]),
             "valid email")
    _refused(runner.invoke(args=["user", "add", "lee@harbour.example.gov", "--name", "Lee", "--agency", agency.slug,
                                 "--password-stdin"], input="short\n"), "at least 12")


def test_user_set_role(runner, make, app):
    user = make.user()
    assert "admin" in _ok(runner.invoke(args=["user", "set-role", user.email, "admin"]))
    with app.app_context():
        from exchange.accounts.services import get_user

        assert get_user(user.id).role == "admin"
    _refused(runner.invoke(args=["user", "set-role", "ghost@nowhere.example", "admin"]), "no user")
    assert runner.invoke(args=["user", "set-role", user.email, "emperor"]).exit_code != 0


def test_token_create_prints_only_the_token(runner, make, client):
    user = make.user()
    output = _ok(runner.invoke(args=["token", "create", user.email, "--label", "ci"]))
    token = output.strip()
    assert "\n" not in token and token.startswith("exo_")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    _refused(runner.invoke(args=["token", "create", "ghost@nowhere.example"]), "no user")


def test_set_role_is_audited(runner, make, app):
    user = make.user()
    _ok(runner.invoke(args=["user", "set-role", user.email, "admin"]))
    with app.app_context():
        import sqlalchemy as sa

        from exchange.audit import AuditEntry
        from exchange.db import db

        actions = db.session.scalars(sa.select(AuditEntry.action)).all()
    assert "user.set_role" in actions
