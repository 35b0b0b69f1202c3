"""Uploaded images and documents, served under their article's visibility, and importing Word documents."""


def init_app(app) -> None:
    """The attachment list on the article page, the upload control on the edit page, and attaching on save."""
    import sqlalchemy as sa

    from exchange.files import routes
    from exchange.templating import add_page_part

    app.before_request_funcs.setdefault(None, []).insert(0, routes.allow_uploads)  # before the CSRF check
    add_page_part(app, "article", routes.article_parts)
    add_page_part(app, "edit", routes.edit_parts)
    sessions = app.extensions["exchange.db"]
    if not sa.event.contains(sessions, "after_flush", routes.attach_on_save):
        sa.event.listen(sessions, "after_flush", routes.attach_on_save)
