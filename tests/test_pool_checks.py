"""A pooled PostgreSQL connection unused for a while is checked before use, and replaced if the server dropped
it; one in steady use is not checked (a round trip saved on every request)."""
import pytest
import sqlalchemy as sa

from tests.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's pool: runs in the PostgreSQL suite")


def _drop_its_connections(url: str, engine: sa.Engine) -> None:
    """End every server process serving ``engine`` (a restart, a failover, a firewall's idle timeout)."""
    with engine.connect() as connection:
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    killer = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    with killer.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    killer.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced(monkeypatch):
    from exchange import db

    engine = db.make_engine(POSTGRES_URL)
    _drop_its_connections(POSTGRES_URL, engine)
    monkeypatch.setattr(db, "PING_AFTER", 0.0)  # every connection has been idle long enough
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()


def test_a_connection_in_steady_use_is_not_checked(monkeypatch):
    """The check is what replaced the dropped connection above: without it, the first statement fails."""
    from exchange import db

    engine = db.make_engine(POSTGRES_URL)
    _drop_its_connections(POSTGRES_URL, engine)
    monkeypatch.setattr(db, "PING_AFTER", 3600.0)
    with pytest.raises(sa.exc.OperationalError), engine.connect() as connection:
        connection.exec_driver_sql("SELECT 1")
    with engine.connect() as connection:  # the pool let the broken connection go: the next one works
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()
