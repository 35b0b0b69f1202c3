"""Loading content is loading history: its endorsements are notified on the site, never emailed as news."""
import sqlalchemy as sa

from exchange.community.models import Notification
from exchange.db import db
from exchange.mail.models import OutboxMessage


def test_loading_the_starter_library_emails_no_one(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) > 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
