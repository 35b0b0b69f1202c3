"""``exchange challenges overdue``: open challenges past their deadline with no answer."""
import click
from flask.cli import with_appcontext

from exchange.challenges import services
from exchange.errors import friendly


@click.group("challenges", help="Challenges agencies ask the others.")
def challenges_group():
    pass


@challenges_group.command("overdue", help="List open challenges past their deadline with no answer yet.")
@with_appcontext
@friendly
def overdue():
    found = services.overdue()
    for challenge in found:
        click.echo(f"{challenge.deadline.isoformat()}  {challenge.agency.slug}  {challenge.slug}")
    click.echo(f"{len(found)} overdue.", err=True)


COMMANDS = [challenges_group]
