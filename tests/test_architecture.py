"""The shape every domain shares (exchange/domains.py), and who acts when no one is named."""
from importlib import import_module

import pytest
from flask import Blueprint

from exchange import api
from exchange.domains import DOMAINS, STANDARD, each
from exchange.errors import Unauthorized
from exchange.permissions import SYSTEM, can_edit, can_view, is_admin, signed_in


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_domain_has_the_standard_modules(domain):
    for name in STANDARD:
        import_module(f"exchange.{domain}.{name}")
    routes = import_module(f"exchange.{domain}.routes")
    assert isinstance(routes.bp, Blueprint)
    assert isinstance(import_module(f"exchange.{domain}.api").PATHS, dict)


def test_each_domain_command_module_lists_its_commands():
    modules = each("cli")
    assert {m.__name__ for m in modules} >= {"exchange.accounts.cli", "exchange.search.cli"}
    for module in modules:
        assert module.COMMANDS, module.__name__


def test_every_api_endpoint_is_on_the_one_api_blueprint(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            assert rule.endpoint.startswith(f"{api.bp.name}."), rule


def test_the_admin_area_is_one_blueprint(app):
    owners = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin")}
    assert owners == {"admin"}


def test_every_documented_api_path_is_served(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    served = {rule.rule.replace("/api/v1", "", 1).replace("<", "{").replace(">", "}")
              for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    served = {path.replace("{int:", "{") for path in served}
    assert set(paths) <= served
    assert {"/me", "/articles", "/search", "/featured", "/agencies"} <= set(paths)


# Who acts ------------------------------------------------------------------------------------------

class _Article:
    status, agency_id, author_id, edit_policy = "draft", 1, 2, "agency"


def test_none_is_a_visitor_and_system_is_not_a_person():
    assert not signed_in(None) and not is_admin(None)
    assert not signed_in(SYSTEM) and is_admin(SYSTEM)
    assert not can_view(None, _Article()) and not can_edit(None, _Article())
    assert can_view(SYSTEM, _Article()) and can_edit(SYSTEM, _Article())


def _refused_to_visitors(app, act):
    with app.app_context(), pytest.raises(Unauthorized):
        act()


def test_a_forgotten_actor_never_acts_as_the_system(app, make):
    """A service called with None where an admin or the system is needed refuses, as for a visitor."""
    from exchange.accounts import services as accounts
    from exchange.curation import moderation
    from exchange.curation import services as curation

    person = make.user()
    article = make.article(author=person, status="published")
    _refused_to_visitors(app, lambda: accounts.add_agency(None, "harbour", "Harbour Council"))
    _refused_to_visitors(app, lambda: accounts.add_user(None, "x@harbour.example.gov", "X", "harbour"))
    _refused_to_visitors(app, lambda: accounts.set_role(None, person.email, "admin"))
    _refused_to_visitors(app, lambda: accounts.set_active(None, accounts.get_user(person.id), False))
    _refused_to_visitors(app, lambda: curation.feature(None, article.slug))
    _refused_to_visitors(app, lambda: moderation.queue(None))
    with app.app_context():
        assert accounts.get_user(person.id).role == "member"
        assert accounts.get_user(person.id).active


def test_the_system_may_do_what_admins_do(app, make):
    from exchange.accounts import services as accounts

    person = make.user()
    with app.app_context():
        assert accounts.set_role(SYSTEM, person.email, "admin").role == "admin"
        assert accounts.add_agency(SYSTEM, "harbour", "Harbour Council").slug == "harbour"


def test_the_layers_contract_lists_the_domains_in_their_order():
    """A domain added to exchange/domains.py must also take its place in the import-linter layers."""
    import configparser

    from exchange.config import ROOT

    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    layers = [line.strip() for line in parser["importlinter:contract:layers"]["layers"].splitlines() if line.strip()]
    domain_layers = [layer.removeprefix("exchange.") for layer in layers if layer.removeprefix("exchange.") in DOMAINS]
    assert domain_layers == list(reversed(DOMAINS))


def test_every_module_of_the_package_has_its_place_in_the_layers():
    """A new module or package under exchange/ must be placed in the layers, or it escapes the contract."""
    import configparser

    from exchange.config import ROOT

    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    placed = {name.strip().removeprefix("exchange.")
              for line in parser["importlinter:contract:layers"]["layers"].splitlines()
              for name in line.split("|") if name.strip()}
    package = ROOT / "exchange"
    modules = {path.stem for path in package.glob("*.py") if path.stem != "__init__"}
    packages = {path.parent.name for path in package.glob("*/__init__.py")}
    assert modules | packages <= placed
