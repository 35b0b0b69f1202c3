"""Full-text search: one interface, a Whoosh backend, a null backend (PostgreSQL follows)."""


def init_app(app) -> None:
    """Bind the configured search backend, its listeners, pages and commands to the app."""
