"""``exchange content load``, ``exchange content export`` and ``exchange backup``."""
import sys
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import click
from flask.cli import with_appcontext

from exchange.content import challenge_file, endorsement_file, full, library
from exchange.content.backup import backup
from exchange.db import db, utcnow
from exchange.errors import friendly
from exchange.migrate import refresh_statistics

# The starter library ships inside the package (exchange/starter: a symlink to content/ in a checkout).
STARTER = Path(__file__).resolve().parent.parent / "starter"
# Fewer files than this load in a blink; a bar would only add noise.
PROGRESS_FROM = 200


@click.group("content", help="Load and export the Markdown library in content/.")
def content_group():
    pass


@content_group.command("load", help="Add or update agencies and articles from DIR (default: content/).")
@click.argument("directory", required=False, default=str(STARTER),
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has articles.")
@click.option("--recent", is_flag=True,
              help="Move every date of the library (created, published, review-by, endorsements) forward by whole "
                   "weeks so that its newest falls in the past week: a demo that stays current (make run uses it).")
@with_appcontext
@friendly
def content_load(directory, if_empty, recent):
    if if_empty and library.has_articles():
        click.echo("The database already has articles; nothing loaded.")
        return
    shift = _to_recent(directory) if recent else timedelta(0)
    before = library.article_slugs()
    report = library.load_directory(directory, progress=_progress("Loading articles"), shift=shift)
    if (directory / full.SIDECAR).is_file():
        restored = full.load_full(directory, library.article_slugs() - before)
        click.echo(f"History (revisions, endorsements, comments) restored for {restored} articles.")
    endorsed = None
    if (directory / endorsement_file.FILE).is_file():  # after full.json, which restores them with the history
        endorsed = endorsement_file.load_endorsements(directory / endorsement_file.FILE,
                                                      progress=_progress("Loading endorsements"), shift=shift)
    challenges_added, challenge_failures = challenge_file.load_challenges(directory, shift=shift)
    refresh_statistics()  # a load may multiply the library: plan its pages' queries for its new size
    failures = report.failures + (endorsed.failures if endorsed else []) + challenge_failures
    for line in failures:
        click.echo(line, err=True)
    if report.agencies_added:
        click.echo(f"{report.agencies_added} {'agency' if report.agencies_added == 1 else 'agencies'} added.")
    moved = f" (dates moved {shift.days // 7} weeks forward by --recent)" if shift else ""
    click.echo("Articles: " + report.summary() + moved)
    if endorsed:
        click.echo(endorsed.summary())
    if challenges_added or challenge_failures:
        click.echo(f"Challenges: {challenges_added} added, {len(challenge_failures)} failed")
    if failures:
        sys.exit(1)


@content_group.command("export", help="Write every agency and article to DIR in the content/ format.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--full", "whole", is_flag=True,
              help=f"Also write every revision, endorsement and comment to DIR/{full.SIDECAR}.")
@with_appcontext
@friendly
def content_export(directory, whole):
    count = library.export_directory(directory, progress=_progress("Exporting articles"))
    endorsement_file.export_endorsements(directory)
    challenge_file.export_challenges(directory)
    if whole:
        full.export_full(directory)
    click.echo(f"{count} articles exported to {directory}" + (" with their history." if whole else "."))


def _to_recent(directory: Path) -> timedelta:
    """The whole weeks that bring the library's newest date into the past week (none if it is there already)."""
    found = library.moments(directory) + endorsement_file.moments(directory / endorsement_file.FILE)
    if not found:
        return timedelta(0)
    return timedelta(weeks=max((utcnow() - max(found)) // timedelta(weeks=1), 0))


def _progress(label: str):
    """A progress bar on stderr for long runs on a terminal; nothing for short runs, or when stderr is
    not a terminal (a log or a pipe gets the summary lines alone)."""

    def bar(items, total):
        if total < PROGRESS_FROM or not _on_terminal():
            return nullcontext(items)
        return click.progressbar(items, length=total, label=label, file=sys.stderr)

    return bar


def _on_terminal() -> bool:
    return sys.stderr.isatty()


@click.command("backup", help="Copy the database (SQLite) and export all content into DIR while the site runs.")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
@friendly
def backup_command(directory):
    target = backup(directory)
    click.echo(f"Backup written to {target}")
    if db.engine.dialect.name != "sqlite":
        click.echo("The database is PostgreSQL: back it up with pg_dump (see README, Backups).")


COMMANDS = [content_group, backup_command]
