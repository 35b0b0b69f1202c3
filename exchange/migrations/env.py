"""Alembic environment: runs online against the engine the app hands over."""
import sqlalchemy as sa
from alembic import context

from exchange import pagecache
from exchange.models import metadata

config = context.config


def run() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        # Until 0008 there is no data version to move; the migration moves it once at the end.
        # (The flag lives on the pooled DBAPI connection: it must go even if a migration fails.)
        connection.info[pagecache.UNTRACKED] = True
        try:
            context.configure(
                connection=connection,
                target_metadata=metadata,
                render_as_batch=connection.dialect.name == "sqlite",
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sa.inspect(connection).has_table("data_version"):
                    connection.exec_driver_sql(pagecache.BUMP)
            connection.commit()
        finally:
            connection.info.pop(pagecache.UNTRACKED, None)


run()
