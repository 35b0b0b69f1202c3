"""Every model, imported in one place so the metadata is complete (for Alembic and tests)."""
from exchange import audit, pagecache  # noqa: F401 - the tables shared by every domain
from exchange.db import Base
from exchange.domains import each

each("models")
metadata = Base.metadata
