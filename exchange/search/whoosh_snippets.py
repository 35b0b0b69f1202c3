"""Snippets: a few words around each match, escaped, with only our own <mark> tags."""
from markupsafe import Markup, escape
from whoosh import highlight

SNIPPET_SOURCE_CHARS = 20_000  # look for matches this far into the body, no further
FRAGMENTER = highlight.ContextFragmenter(maxchars=160, surround=60, charlimit=SNIPPET_SOURCE_CHARS)


class MarkFormatter(highlight.Formatter):
    """Escape every piece of text; wrap each match in <mark>."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


FORMATTER = MarkFormatter()


def snippet(found, stored: dict) -> Markup:
    """The best fragments of the body (or summary) that match; the summary when nothing matches."""
    found.results.fragmenter = FRAGMENTER
    found.results.formatter = FORMATTER
    for field in ("body", "summary"):
        text = (stored.get(field) or "")[:SNIPPET_SOURCE_CHARS]
        if text:
            fragments = found.highlights(field, text=text, top=2)
            if fragments:
                return Markup(fragments)  # noqa: S704 - built from escaped text and our own tags
    return Markup(escape(stored.get("summary", "")))
