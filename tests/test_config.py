"""Settings: EXCHANGE_* variables read by their kind, and a bad value stops the app with one line."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from exchange.config import ROOT, SETTINGS, ConfigError

BIN = Path(sys.executable).parent


def _visitor_sees_home(app) -> bool:
    response = app.test_client().get("/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


@pytest.mark.parametrize("spelling, public", [("True", True), ("FALSE", False), ("yes", True), ("Off", False),
                                              ("1", True), ("0", False), ("on", True), ("No", False)])
def test_every_boolean_spelling_is_read(new_app, monkeypatch, spelling, public):
    monkeypatch.setenv("EXCHANGE_PUBLIC_READ", spelling)
    assert _visitor_sees_home(new_app()) is public


def test_public_read_false_in_the_environment_makes_the_site_private(new_app, monkeypatch):
    monkeypatch.setenv("EXCHANGE_PUBLIC_READ", "False")
    response = new_app().test_client().get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_override_given_as_a_string_is_read_as_from_the_environment(new_app):
    assert not _visitor_sees_home(new_app(PUBLIC_READ="off"))


@pytest.mark.parametrize("name, value, accepts", [
    ("PUBLIC_READ", "maybe", "a boolean (use true/false, yes/no, on/off or 1/0)"),
    ("PAGE_CACHE_MB", "lots", "a number of 0 or more"),
    ("PAGE_CACHE_MB", "-1", "a number of 0 or more"),
    ("SESSION_IDLE_MINUTES", "0", "a whole number of 1 or more"),
    ("SEARCH_REINDEX_PROCS", "2.5", "a whole number of 1 or more"),
    ("SEARCH_BACKEND", "elastic", "one of 'whoosh', 'postgres' or 'null'"),
    ("LOGIN_RATE_LIMIT", "often", "a rate limit like '10 per minute' or '10/minute;50/hour'"),
    ("COMMENT_LINK_BLOCKLIST", '["bit.ly", 3]', "a list of strings"),
])
def test_a_bad_value_stops_the_app_with_one_line_naming_the_setting(new_app, monkeypatch, name, value, accepts):
    monkeypatch.setenv(f"EXCHANGE_{name}", value)
    with pytest.raises(ConfigError) as raised:
        new_app()
    message = str(raised.value)
    assert message.startswith(f"EXCHANGE_{name}: {value!r} is not {accepts}")
    assert "\n" not in message


def test_a_bad_override_names_the_setting(new_app):
    with pytest.raises(ConfigError, match=r"^PAGE_CACHE_MB: -1 is not a number of 0 or more$"):
        new_app(PAGE_CACHE_MB=-1)
    with pytest.raises(ConfigError, match=r"^ADMIN_MFA: 'sometimes' is not a boolean"):
        new_app(ADMIN_MFA="sometimes")


def test_a_bad_database_url_is_refused_without_repeating_it(new_app, monkeypatch):
    monkeypatch.setenv("EXCHANGE_DATABASE_URL", "postgresql:/exchange:hunter2@db.internal/exchange")
    with pytest.raises(ConfigError) as raised:
        new_app()
    assert str(raised.value) == "EXCHANGE_DATABASE_URL: the value given is not a URL (scheme://...)"


@pytest.mark.parametrize("value", ['["spam.example", "junk.example"]', "spam.example, junk.example"])
def test_a_list_is_written_as_json_or_with_commas(new_app, monkeypatch, value):
    monkeypatch.setenv("EXCHANGE_COMMENT_LINK_BLOCKLIST", value)
    assert new_app().config["COMMENT_LINK_BLOCKLIST"] == ["spam.example", "junk.example"]


def test_a_setting_not_declared_is_read_as_flask_reads_it(new_app, monkeypatch):
    monkeypatch.setenv("EXCHANGE_SOMETHING_ELSE", '{"depth": 2}')
    monkeypatch.setenv("EXCHANGE_ANOTHER_THING", "plain words")
    app = new_app()
    assert app.config["SOMETHING_ELSE"] == {"depth": 2} and app.config["ANOTHER_THING"] == "plain words"


def test_every_default_is_a_value_its_setting_accepts():
    for name, setting in SETTINGS.items():
        assert setting.read(name, setting.default) == setting.default, name


def _named_in(*paths) -> set[str]:
    text = "\n".join((ROOT / path).read_text() for path in paths)
    return set(re.findall(r"EXCHANGE_([A-Z][A-Z0-9_]*[A-Z0-9])", text))


def test_every_setting_the_readme_and_tools_name_is_declared():
    named = _named_in("README.md", "Makefile", "bench/__main__.py", "bench/memory.py", "tests/test_scale_out.py")
    harness = {"TEST_DATABASE_URL", "TEST_REDIS_URL", "E2E_REQUIRED"}  # read by the tests, not the app
    assert named - harness - set(SETTINGS) == set()


def test_the_readme_lists_every_setting():
    assert set(SETTINGS) - _named_in("README.md") == set()


def _without_settings(**settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXCHANGE_")}
    return {**env, **{f"EXCHANGE_{k}": v for k, v in settings.items()}}


def test_the_command_stops_with_one_line_on_a_bad_setting(tmp_path):
    env = _without_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'exchange.db'}", SEARCH_BACKEND="elastic")
    done = subprocess.run([BIN / "exchange", "db", "upgrade"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert done.stderr.splitlines() == ["Error: EXCHANGE_SEARCH_BACKEND: 'elastic' is not one of 'whoosh', "
                                        "'postgres' or 'null'"]
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "exchange.db").exists()


def test_gunicorn_stops_with_one_line_on_a_bad_setting(tmp_path):
    env = _without_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'exchange.db'}", SESSION_COOKIE_SECURE="maybe")
    done = subprocess.run([BIN / "gunicorn", "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:0", "wsgi:app"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert done.stderr.splitlines() == ["Error: EXCHANGE_SESSION_COOKIE_SECURE: 'maybe' is not a boolean "
                                        "(use true/false, yes/no, on/off or 1/0)"]


def test_the_instance_folder_comes_from_exchange_instance_path(tmp_path, monkeypatch):
    from exchange import create_app

    monkeypatch.setenv("EXCHANGE_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SEARCH_BACKEND": "null"})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "secret_key").is_file()


def test_the_instance_folder_defaults_to_instance_in_the_working_directory(tmp_path, monkeypatch):
    from exchange import create_app

    monkeypatch.delenv("EXCHANGE_INSTANCE_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    app = create_app({"SEARCH_BACKEND": "null"})
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'instance' / 'exchange.db'}"
    assert app.config["SEARCH_INDEX"] == str(tmp_path / "search_index")
