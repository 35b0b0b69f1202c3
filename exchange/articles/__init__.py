"""Articles (case studies and playbooks), their revisions, tags and wiki links."""


def init_app(app) -> None:
    """"My drafts" on the profile (a page part: the profile belongs to accounts, below articles), and the
    next steps the article's error pages offer."""
    from exchange.articles import dead_ends, queries
    from exchange.templating import add_page_part

    add_page_part(app, "profile", lambda person: {"my_drafts": queries.my_drafts(person)})
    dead_ends.init_app()
