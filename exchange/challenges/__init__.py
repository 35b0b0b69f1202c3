"""Challenges: an agency asks "has anyone solved this?"; others answer with practices; what helped is recorded."""


def init_app(app) -> None:
    """Helpful answers count in a practice's score; the practice, topic and agency pages show challenges."""
    from exchange.challenges import indexed, services
    from exchange.community.notifications import add_kind
    from exchange.community.services import add_subject
    from exchange.endorsements.ranking import add_support
    from exchange.search.sources import add_source
    from exchange.templating import add_page_part

    add_support("helpful answers", services.helped_support)
    add_source(indexed.SOURCE)  # public challenges are found by search (kind "challenge")
    for kind in services.MESSAGES:
        add_kind(kind, services.describe, services.preload)
    add_subject("challenge", services.check_comments, services.announce_comment)  # plain comments under one
    add_page_part(app, "article", _helped)
    add_page_part(app, "tag", lambda tag: {"challenges": services.list_challenges(per_page=5, tag=tag)[0]})
    add_page_part(app, "agency", lambda agency: {"challenges": services.list_challenges(per_page=5,
                                                                                        agency=agency)[0]})


def _helped(article) -> dict:
    """The practice page's "Helped Beta City Council with: <challenge>" (``helped_html``, the same for all)."""
    from exchange.challenges.services import helped_with
    from exchange.pagecache import shared_section

    return {"helped_html": shared_section("challenges/_helped.html", article,
                                          lambda: {"helped_with": helped_with(article)})}
