"""``exchange content load`` and ``exchange content export``."""
import click


@click.group("content", help="Load and export the Markdown library in content/.")
def content_group():
    pass
