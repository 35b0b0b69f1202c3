"""The ``exchange`` command group: ``exchange db upgrade``, ``exchange user add`` and the rest."""

import click
from flask.cli import FlaskGroup, with_appcontext

from exchange import create_app
from exchange.config import ConfigError
from exchange.content import cli as content
from exchange.domains import each
from exchange.migrate import upgrade


def _create_app():
    try:
        return create_app()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None  # one line on stderr, exit status 1


main = FlaskGroup(create_app=_create_app, help="The Exchange: public agencies share what works.")


@click.group("db", help="The database schema.")
def db_group():
    pass


@db_group.command("upgrade", help="Create or migrate the schema to the newest version.")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision):
    upgrade(revision)
    click.echo("The database schema is up to date.")


def init_app(app) -> None:
    """Attach every command, so ``flask --app exchange`` works as well as ``exchange``."""
    for commands in [[db_group], *(module.COMMANDS for module in each("cli")), content.COMMANDS]:
        for command in commands:
            app.cli.add_command(command)


if __name__ == "__main__":
    main()
