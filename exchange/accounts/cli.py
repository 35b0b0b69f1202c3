"""``exchange agency``, ``exchange user``, ``exchange token`` and ``exchange demo``."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from exchange.accounts import links, sso
from exchange.accounts.demo import ensure_demo_admin
from exchange.accounts.services import (
    add_agency,
    add_user,
    create_token,
    get_user_by_email,
    set_password,
    set_role,
)
from exchange.errors import friendly
from exchange.permissions import SYSTEM
from exchange.urls import external_url


@click.group("agency", help="Agencies.")
def agency_group():
    pass


@agency_group.command("add", help="Add an agency.")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--acronym", default="")
@click.option("--domain", "domains", multiple=True, help="An email domain its staff use (repeatable).")
@click.option("--level", default="other", type=click.Choice(["national", "regional", "local", "other"]))
@click.option("--country", default="")
@with_appcontext
@friendly
def agency_add(slug, name, acronym, domains, level, country):
    agency = add_agency(SYSTEM, slug, name, acronym, level, country, domains)
    click.echo(f"Added agency {agency.slug} ({agency.name}).")


@agency_group.command("sso", help="Sign its staff in with the agency's own OpenID Connect provider.")
@click.argument("slug")
@click.option("--issuer", required=True, help="The provider's issuer URL, exactly as its discovery document says.")
@click.option("--client-id", required=True, help="This site's client id at the provider.")
@click.option("--client-secret-file", type=click.Path(dir_okay=False), help="A file holding the client secret.")
@click.option("--client-secret-env", metavar="NAME", help="Or: the environment variable holding it.")
@click.option("--domain", "domains", multiple=True,
              help="An email domain it vouches for (repeatable; default: all the agency's).")
@click.option("--require", is_flag=True, help="Refuse password sign-in to the agency's staff.")
@with_appcontext
@friendly
def agency_sso(slug, issuer, client_id, client_secret_file, client_secret_env, domains, require):
    sign_on = sso.configure(SYSTEM, slug, issuer, client_id, client_secret_file, client_secret_env, domains, require)
    required = "required" if sign_on.required else "optional (passwords still work)"
    click.echo(f"{sign_on.agency.slug} signs in with {sign_on.issuer} for {', '.join(sign_on.domain_names)}; "
               f"{required}.")
    click.echo(f"Redirect URI to register there: https://<this site>/login/sso/{sign_on.agency.slug}/callback")


@agency_group.command("sso-off", help="Stop signing the agency's staff in with its own provider.")
@click.argument("slug")
@with_appcontext
@friendly
def agency_sso_off(slug):
    agency = sso.remove(SYSTEM, slug)
    click.echo(f"{agency.slug} no longer signs in with its own provider; its staff use passwords.")


@click.group("user", help="People.")
def user_group():
    pass


@user_group.command("add", help="Add a person; prints a generated password unless --password-stdin.")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--agency", "agency_slug", required=True)
@click.option("--admin", is_flag=True, help="Make them an admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
@friendly
def user_add(email, name, agency_slug, admin, password_stdin):
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user, password = add_user(SYSTEM, email, name, agency_slug, "admin" if admin else "member", password)
    click.echo(f"Added {user.email} ({user.role}) to {user.agency.slug}.")
    if not password_stdin:
        click.echo(f"Password: {password}")


@user_group.command("set-role", help="Make a person a member or an admin.")
@click.argument("email")
@click.argument("role", type=click.Choice(["member", "admin"]))
@with_appcontext
@friendly
def user_set_role(email, role):
    user = set_role(SYSTEM, email, role)
    click.echo(f"{user.email} is now {user.role}.")


@user_group.command("reset-password", help="Print a password-reset link, or set the password read from stdin.")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input instead.")
@click.option("--keep-tokens", is_flag=True, help="Keep their API tokens (they are revoked by default).")
@with_appcontext
@friendly
def user_reset_password(email, password_stdin, keep_tokens):
    user = get_user_by_email(email)
    if password_stdin:
        set_password(SYSTEM, user, sys.stdin.readline().rstrip("\r\n"), revoke_tokens=not keep_tokens)
        click.echo(f"The password of {user.email} is changed; their sessions are ended.")
        return
    secret = links.reset_link_secret(SYSTEM, user)
    click.echo(external_url("accounts.reset_password", token=secret))


@click.group("token", help="API tokens.")
def token_group():
    pass


@token_group.command("create", help="Print a new API token, and nothing else.")
@click.argument("email")
@click.option("--label", default="command line")
@with_appcontext
@friendly
def token_create(email, label):
    _, secret = create_token(get_user_by_email(email), label)
    click.echo(secret)


@click.command("demo", help="Make sure a demo admin exists, printing how to sign in.")
@click.option("--address", default="", help="Where the site serves, e.g. http://127.0.0.1:5000 (make run gives it).")
@with_appcontext
@friendly
def demo(address):
    admin = ensure_demo_admin(Path(current_app.instance_path))
    click.echo(_framed(_sign_in(admin, address.rstrip("/"))))


def _sign_in(admin, address: str) -> list[str]:
    kept = _shown(admin.saved)
    lines = [f"The Exchange: {address}"] if address else []
    if admin.password:
        lines += [f"Created the demo admin. Sign in at {address}/login",
                  f"  as {admin.email} with password {admin.password}",
                  f"  (kept in {kept}; printed only this once)"]
    elif admin.email:
        lines += [f"Sign in at {address}/login as {admin.email}", f"  (the password is kept in {kept})"]
    else:
        lines += ["An admin exists already; sign in with their account."]
    lines += ["Commands: . .venv/bin/activate, then exchange --help"]
    return lines + (["Ctrl-C stops the server."] if address else [])


def _shown(path: Path) -> str:
    """A path relative to the working directory when it is under it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _framed(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line.ljust(width)} |" for line in lines), rule])


COMMANDS = [agency_group, user_group, token_group, demo]
