"""``exchange search check`` and ``exchange search reindex``."""
import functools
import sys

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from exchange.search import maintenance
from exchange.search.backends import configured
from exchange.search.interface import IndexBusy


@click.group("search", help="The search index.")
def search_group():
    pass


def plain_errors(command):
    """One clear line on stderr and a non-zero exit for anything that goes wrong, never a traceback."""

    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        if not configured().backend.records_changes:
            raise click.ClickException("Search is switched off (SEARCH_BACKEND=null): there is no index.")
        try:
            return command(*args, **kwargs)
        except IndexBusy:
            message = "The search index is busy (another process is writing): try again shortly."
            raise click.ClickException(message) from None
        except PermissionError as error:
            raise click.ClickException(f"Cannot write the search index: {error.strerror} ({error.filename}).") from None
        except OSError as error:
            raise click.ClickException(f"Cannot use the search index: {error}.") from None
        except sa.exc.SQLAlchemyError as error:
            raise click.ClickException(f"Cannot read the database ({type(error).__name__}): "
                                       "is it reachable, and is it up to date (exchange db upgrade)?") from None

    return wrapped


@search_group.command("check", help="Compare the index with the database; exit 1 listing any drift.")
@with_appcontext
@plain_errors
def check():
    applied, drift = maintenance.check()
    if applied:
        click.echo(f"Applied {applied} waiting index change{'s' if applied != 1 else ''}.")
    if drift.clean:
        click.echo(f"The search index matches the database: {drift.published} published articles.")
        return
    for line in drift.lines():
        click.echo(line)
    problems = len(drift.lines())
    click.echo(f"{problems} difference{'s' if problems != 1 else ''} between the database and the search index: "
               "run `exchange search reindex`.", err=True)
    raise SystemExit(1)


@search_group.command("reindex", help="Rebuild the index beside the live one and swap it in.")
@click.option("--if-needed", is_flag=True, help="Only when the index is missing, empty or out of step.")
@with_appcontext
@plain_errors
def reindex(if_needed):
    if if_needed and not maintenance.needs_rebuild():
        click.echo("The search index is up to date.")
        return
    configured().backend.check_writable()
    total = maintenance.published_count()
    with click.progressbar(length=total, label="Indexing articles", file=sys.stderr) as bar:
        total = maintenance.reindex(progress=bar.update)
    click.echo(f"Rebuilt the search index: {total} published articles.")


COMMANDS = [search_group]
