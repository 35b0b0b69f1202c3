"""Endorsements and adoptions, the weights they carry, and ranking by them."""


def init_app(app) -> None:
    """The trending order of article lists and the template helpers."""
    from exchange.articles.queries import SORT_LABELS, add_order
    from exchange.endorsements import ranking, routes, services

    add_order("trending", ranking.by_trending)
    app.jinja_env.globals.update(
        endorsement_panel=routes.panel,
        endorsement_summary_for_person=services.person_summary,
        sort_labels=SORT_LABELS,
        format_score=ranking.format_score,
    )
