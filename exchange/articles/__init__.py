"""Articles (case studies and playbooks), their revisions, tags and wiki links."""


def init_app(app) -> None:
    """"My drafts" on the profile (a page part: the profile belongs to accounts, below articles), and the
    next steps the article's error pages offer; members' pages kept by audience (practices, lists, topics)."""
    from exchange.articles import audience, dead_ends, queries
    from exchange.pagecache import add_member_page
    from exchange.templating import add_page_part

    add_page_part(app, "profile", lambda person: {"my_drafts": queries.my_drafts(person)})
    add_member_page(app, "articles.show", audience.article_audience)
    add_member_page(app, "articles.case_studies", audience.list_audience)
    add_member_page(app, "articles.playbooks", audience.list_audience)
    add_member_page(app, "articles.tag", audience.tag_audience)
    dead_ends.init_app()
