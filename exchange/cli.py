"""The ``exchange`` command group: ``exchange db upgrade``, ``exchange user add`` and the rest."""
import functools
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from exchange.errors import DomainError


def _create_app():
    from exchange import create_app
    from exchange.config import ConfigError

    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None  # one line on stderr, exit status 1


main = FlaskGroup(create_app=_create_app, help="The Exchange: public agencies share what works.")


def friendly(command):
    """Turn a domain error into one clear line on stderr and exit status 1, never a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(error.message)

    return wrapped


@click.group("db", help="The database schema.")
def db_group():
    pass


@db_group.command("upgrade", help="Create or migrate the schema to the newest version.")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision):
    from exchange.migrate import upgrade

    upgrade(revision)
    click.echo("The database schema is up to date.")


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
    from exchange.accounts.services import add_agency

    agency = add_agency(None, slug, name, acronym, level, country, domains)
    click.echo(f"Added agency {agency.slug} ({agency.name}).")


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
    from exchange.accounts.services import add_user

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user, password = add_user(None, email, name, agency_slug, "admin" if admin else "member", password)
    click.echo(f"Added {user.email} ({user.role}) to {user.agency.slug}.")
    if not password_stdin:
        click.echo(f"Password: {password}")


@user_group.command("set-role", help="Make a person a member or an admin.")
@click.argument("email")
@click.argument("role", type=click.Choice(["member", "admin"]))
@with_appcontext
@friendly
def user_set_role(email, role):
    from exchange.accounts.services import set_role

    user = set_role(None, email, role)
    click.echo(f"{user.email} is now {user.role}.")


@click.group("token", help="API tokens.")
def token_group():
    pass


@token_group.command("create", help="Print a new API token, and nothing else.")
@click.argument("email")
@click.option("--label", default="command line")
@with_appcontext
@friendly
def token_create(email, label):
    from exchange.accounts.services import create_token, get_user_by_email

    _, secret = create_token(get_user_by_email(email), label)
    click.echo(secret)


@click.command("demo", help="Make sure a demo admin exists, printing how to sign in.")
@with_appcontext
@friendly
def demo():
    from exchange.accounts.demo import ensure_demo_admin

    click.echo(ensure_demo_admin(Path(_instance_path())))


@click.command("backup", help="Copy the database (SQLite) and export all content into DIR while the site runs.")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
@friendly
def backup_command(directory):
    from exchange.backup import backup
    from exchange.db import db

    target = backup(directory)
    click.echo(f"Backup written to {target}")
    if db.engine.dialect.name != "sqlite":
        click.echo("The database is PostgreSQL: back it up with pg_dump (see README, Backups).")


def _instance_path() -> str:
    from flask import current_app

    return current_app.instance_path


def init_app(app) -> None:
    """Attach the commands to the app, so ``flask --app exchange`` works as well as ``exchange``."""
    from exchange.articles.cli import content_group

    for command in (db_group, agency_group, user_group, token_group, demo, content_group, backup_command):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
