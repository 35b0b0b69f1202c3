"""Every model, imported in one place so the metadata is complete (for Alembic and tests)."""
from exchange.accounts import models as accounts  # noqa: F401
from exchange.curation import models as curation  # noqa: F401
from exchange.db import Base

metadata = Base.metadata
from exchange.articles import models as articles  # noqa: F401,E402
from exchange.search import models as search  # noqa: F401,E402
from exchange.community import models as community  # noqa: F401,E402
from exchange.endorsements import models as endorsements  # noqa: F401,E402
from exchange import pagecache  # noqa: F401,E402
