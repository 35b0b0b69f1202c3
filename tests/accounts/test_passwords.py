"""Password rules: common passwords, repeats, sequences and the person's own address are refused."""
import pytest

from tests.conftest import PASSWORD


def _register(client, make, password, email="alice@northvale.example.gov", name="Alice Moreno"):
    make.agency("northvale", domains=["northvale.example.gov"])
    return client.post("/register", data={"name": name, "email": email, "password": password})


@pytest.mark.parametrize("password, why", [
    ("password1234", b"most common passwords"),
    ("ManchesterUnited", b"most common passwords"),
    ("aaaaaaaaaaaa", b"repeats"),
    ("abcabcabcabc", b"repeats"),
    ("123456789012", b"sequence"),
    ("qwertyuiopasdf", b"sequence"),
    ("ZYXWVUTSRQPO", b"sequence"),
    ("sunshine2024!!", b"common password with numbers or symbols added"),
    ("!!Dragon19781978", b"common password with numbers or symbols added"),
    ("alicemoreno1!", b"your name or email address"),
    ("northvale2024!", b"your name or email address"),
    ("Alice@Northvale", b"your name or email address"),
])
def test_registration_refuses_a_guessable_password_and_says_why(client, make, app, password, why):
    response = _register(client, make, password)
    assert response.status_code == 422
    assert why in response.data
    with app.app_context():
        from exchange.accounts.services import get_user_by_email
        from exchange.errors import NotFound

        with pytest.raises(NotFound):
            get_user_by_email("alice@northvale.example.gov")


@pytest.mark.parametrize("password", [PASSWORD, "Alice grows tomatoes on the roof", "7 green herons at dusk"])
def test_a_sentence_is_accepted_even_with_the_persons_name_in_it(client, make, password):
    assert _register(client, make, password).status_code == 302


def test_password_change_refuses_a_common_password(client, make, auth):
    user = make.user()
    auth.login(user)
    response = client.post("/profile/password", data={"current_password": PASSWORD, "new_password": "password1234"})
    assert response.status_code == 422
    assert b"most common passwords" in response.data
    auth.logout()
    assert auth.login(user).status_code == 302  # the old password still works


def test_user_add_with_password_stdin_refuses_a_pattern(runner, make):
    agency = make.agency("harbour", domains=["harbour.example.gov"])
    result = runner.invoke(args=["user", "add", "kim@harbour.example.gov", "--name", "Kim", "--agency", agency.slug,
                                 "--password-stdin"], input="abcdefghijklmnop\n")
    assert result.exit_code != 0
    assert "sequence" in result.output
