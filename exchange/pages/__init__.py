"""The site's own pages (About, How it works, Comment rules, Accessibility, Privacy, Contact), editable by
admins as Markdown and shipped with good defaults, and "Is this page useful?" feedback."""


def init_app(app) -> None:
    """The agency page offers its staff and admins the feedback on the agency's practices."""
    from flask_login import current_user

    from exchange.permissions import of_agency
    from exchange.templating import add_page_part

    add_page_part(app, "agency", lambda agency: {"sees_feedback": of_agency(current_user, agency.id)})
