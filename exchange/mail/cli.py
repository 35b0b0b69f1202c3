"""``exchange mail send``, ``exchange mail status`` and ``exchange mail digest daily|weekly``."""
import click
from flask import current_app
from flask.cli import with_appcontext

from exchange.errors import friendly
from exchange.mail import services
from exchange.mail.sender import make_sender


@click.group("mail", help="The outbox and the digests.")
def mail_group():
    pass


@mail_group.command("send", help="Send every message that is due now (run from cron, e.g. every minute).")
@with_appcontext
@friendly
def send():
    total = services.Outcome()
    while True:
        outcome = services.send_due()
        total.sent, total.failed, total.dropped = (total.sent + outcome.sent, total.failed + outcome.failed,
                                                   total.dropped + outcome.dropped)
        if outcome.failed or not (outcome.sent or outcome.dropped):
            break
    click.echo(f"Sent {total.sent}, failed {total.failed} (tried again later), dropped {total.dropped}.")
    if total.failed:
        raise SystemExit(1)


@mail_group.command("status", help="What waits in the outbox, what is retried, what was given up.")
@with_appcontext
@friendly
def status():
    state = services.status()
    click.echo(f"Mail goes to: {make_sender(current_app.config).describe()}")
    click.echo(f"Waiting: {state.waiting} ({state.due} due now, {state.retrying} being retried)")
    click.echo(f"Given up: {state.given_up}")
    click.echo(f"Sent: {state.sent}")
    if state.oldest_waiting:
        click.echo(f"Oldest waiting since: {state.oldest_waiting.isoformat(timespec='seconds')}")
    if state.last_error:
        click.echo(f"Last error: {state.last_error}")


@mail_group.command("digest", help="Queue the daily or weekly digests, then send them.")
@click.argument("frequency", type=click.Choice(["daily", "weekly"]))
@with_appcontext
@friendly
def digest(frequency):
    count = services.send_digests(frequency)
    outcome = services.send_due()
    click.echo(f"Queued {count} {frequency} digests; sent {outcome.sent}, failed {outcome.failed}.")


COMMANDS = [mail_group]
