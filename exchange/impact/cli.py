"""``exchange impact flush``: write the tallied page views to the database now."""
import click
from flask import current_app
from flask.cli import with_appcontext

from exchange.errors import friendly
from exchange.impact import counter


@click.group("impact", help="Reach: the page views counted for each article.")
def impact_group():
    pass


@impact_group.command("flush", help="Write the views tallied in Redis (IMPACT_REDIS_URL) to the database now.")
@with_appcontext
@friendly
def flush():
    written = counter.flush(current_app._get_current_object())
    click.echo(f"Wrote {written} view{'s' if written != 1 else ''}.")


COMMANDS = [impact_group]
