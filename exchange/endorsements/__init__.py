"""Endorsements and adoptions, the weights they carry, and ranking by them."""


def init_app(app) -> None:
    """Register the endorsement pages and template helpers (the API adds its own rows)."""
    from exchange.articles.queries import SORT_LABELS
    from exchange.endorsements import ranking, routes, services

    app.register_blueprint(routes.bp)
    app.jinja_env.globals.update(
        endorsement_panel=routes.panel,
        endorsement_summary_for_person=services.person_summary,
        sort_labels=SORT_LABELS,
        format_score=ranking.format_score,
    )
