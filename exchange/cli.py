"""The ``exchange`` command group: ``exchange db upgrade``, ``exchange user add`` and the rest."""

import click
import sqlalchemy as sa
from alembic.util import CommandError
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
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError):
        raise click.ClickException("EXCHANGE_DATABASE_URL: not a database URL this installation can use "
                                   "(e.g. sqlite:////srv/exchange.db or postgresql://user@host/db)") from None


def one_line(error: Exception) -> str:
    """What went wrong outside the program (the database, a folder, the input), in one line for the operator."""
    if isinstance(error, sa.exc.DBAPIError) and ("no such table" in str(error) or "does not exist" in str(error)):
        return "The database has no schema yet, or an older one: run `exchange db upgrade`."
    if isinstance(error, sa.exc.DBAPIError):
        detail = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        return f"The database cannot be used just now: {detail}"
    if isinstance(error, UnicodeError):  # read as bytes that are not UTF-8, or decoded with surrogates
        return "The input is not UTF-8 text."
    if isinstance(error, OSError):
        return f"{error.filename or 'a file'}: {error.strerror or error}"
    return str(error).strip().splitlines()[0]


class ExchangeGroup(FlaskGroup):
    """The command group; bad input and an unusable database end a command with one line, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (sa.exc.OperationalError, sa.exc.ProgrammingError, sa.exc.InterfaceError, CommandError,
                OSError, UnicodeError) as error:
            raise click.ClickException(one_line(error)) from None


main = ExchangeGroup(create_app=_create_app, help="The Exchange: public agencies share what works.")


@click.group("db", help="The database schema.")
def db_group():
    pass


@db_group.command("upgrade", help="Create or migrate the schema to the newest version.")
@click.option("--revision", default="head", show_default=True)
@click.option("--verbose", is_flag=True, help="Show each migration as it runs.")
@with_appcontext
def db_upgrade(revision, verbose):
    applied = upgrade(revision, verbose)
    if applied:
        count = f"{len(applied)} migration{'s' if len(applied) > 1 else ''}"
        click.echo(f"The database schema is up to date ({count} applied, now at {applied[-1]}).")
    else:
        click.echo("The database schema is up to date.")


def init_app(app) -> None:
    """Attach every command, so ``flask --app exchange`` works as well as ``exchange``."""
    for commands in [[db_group], *(module.COMMANDS for module in each("cli")), content.COMMANDS]:
        for command in commands:
            app.cli.add_command(command)


if __name__ == "__main__":
    main()
