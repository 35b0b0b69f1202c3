"""The outbox: written with the change, sent after commit through a real SMTP server, never lost."""
import logging

import pytest
import sqlalchemy as sa

from exchange.mail.sender import parse
from tests.conftest import PASSWORD
from tests.mail.conftest import html_of, text_of


def _register(client, email, name="Sam Reyes"):
    return client.post("/register", data={"name": name, "email": email, "password": PASSWORD})


def _outbox(app):
    from exchange.db import db
    from exchange.mail.models import OutboxMessage

    with app.app_context():
        return db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_an_email_reaches_the_smtp_server_after_the_commit_with_text_and_html(client, make, smtp):
    make.agency("northvale", domains=["northvale.example.gov"])
    assert _register(client, "sam@northvale.example.gov").status_code == 302
    [message] = smtp.wait_for(1)
    assert message.envelope_to == ["sam@northvale.example.gov"]
    assert message["Subject"] == "Confirm your address for The Exchange"
    assert message["From"] == "The Exchange <exchange@localhost>"
    assert "The Exchange" in text_of(message) and "The Exchange" in html_of(message)
    assert "Someone registered an account on The Exchange with this address." in text_of(message)  # why
    assert "/verify/" in html_of(message)
    assert [row.sent_at is not None for row in _outbox(client.application)] == [True]


def test_a_refused_change_queues_nothing(client, make, smtp):
    make.agency("northvale", domains=["northvale.example.gov"])
    response = client.post("/register", data={"name": "Sam", "email": "sam@northvale.example.gov",
                                              "password": "short"})
    assert response.status_code == 422
    assert _outbox(client.application) == [] and smtp.messages == []


def test_the_outbox_survives_a_failing_smtp_server_and_sends_after_it_returns(client, make, smtp, app):
    make.agency("northvale", domains=["northvale.example.gov"])
    smtp.stop()
    assert _register(client, "sam@northvale.example.gov").status_code == 302  # the request does not fail
    [row] = _outbox(app)
    assert row.sent_at is None and row.attempts == 1 and "cannot reach" in row.last_error
    status = app.test_cli_runner().invoke(args=["mail", "status"])
    assert "Waiting: 1" in status.output and "being retried" in status.output
    failed = app.test_cli_runner().invoke(args=["mail", "send"])
    assert failed.exit_code == 1 and "failed 1" in failed.output
    smtp.start()
    sent = app.test_cli_runner().invoke(args=["mail", "send"])
    assert sent.exit_code == 0, sent.output
    assert "Sent 1" in sent.output
    [message] = smtp.wait_for(1)
    assert message.envelope_to == ["sam@northvale.example.gov"] and "/verify/" in text_of(message)
    [row] = _outbox(app)
    assert row.sent_at is not None and row.attempts == 3 and row.payload == "{}"  # the link is not kept


def test_each_failure_waits_twice_as_long_as_the_one_before(new_app, make, smtp):
    smtp.stop()
    app = new_app(MAIL_URL=smtp.url, MAIL_SEND="inline", MAIL_RETRY_SECONDS=60)
    from tests.conftest import Factory

    Factory(app).agency("northvale", domains=["northvale.example.gov"])
    _register(app.test_client(), "sam@northvale.example.gov")
    waits = []
    for _ in range(3):
        with app.app_context():
            from exchange.db import db, utcnow
            from exchange.mail import services
            from exchange.mail.models import OutboxMessage

            db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow()))
            db.session.commit()
            before = utcnow()
            services.send_due()
            row = db.session.scalar(sa.select(OutboxMessage))
            waits.append(round((row.next_attempt_at - before).total_seconds() / 60))
    assert waits == [2, 4, 8]


def test_a_message_is_given_up_after_the_last_attempt(new_app, smtp):
    smtp.stop()
    app = new_app(MAIL_URL=smtp.url, MAIL_SEND="inline", MAIL_RETRY_SECONDS=0, MAIL_MAX_ATTEMPTS=2)
    from tests.conftest import Factory

    Factory(app).agency("northvale", domains=["northvale.example.gov"])
    _register(app.test_client(), "sam@northvale.example.gov")
    app.test_cli_runner().invoke(args=["mail", "send"])
    assert "Given up: 1" in app.test_cli_runner().invoke(args=["mail", "status"]).output
    smtp.start()
    app.test_cli_runner().invoke(args=["mail", "send"])
    assert smtp.messages == []


def test_the_worker_thread_sends_after_the_commit(new_app, smtp):
    from exchange.mail import worker
    from tests.conftest import Factory

    app = new_app(MAIL_URL=smtp.url, MAIL_SEND="thread")
    try:
        Factory(app).agency("northvale", domains=["northvale.example.gov"])
        _register(app.test_client(), "sam@northvale.example.gov")
        assert len(smtp.wait_for(1)) == 1
        assert worker.worker(app).thread.is_alive()
    finally:
        worker.stop(app)
    assert worker.KEY not in app.extensions


def test_without_a_mail_url_emails_go_to_the_log_and_the_start_says_so(new_app, make, caplog):
    caplog.set_level(logging.INFO, logger="exchange.mail")
    app = new_app(MAIL_SEND="inline")
    assert "EXCHANGE_MAIL_URL is not set" not in caplog.text  # commands stay quiet
    app.test_client().get("/healthz")
    assert caplog.text.count("EXCHANGE_MAIL_URL is not set, so emails are written to the log and NOT sent") == 1
    app.test_client().get("/healthz")
    assert caplog.text.count("EXCHANGE_MAIL_URL is not set, so emails are written to the log and NOT sent") == 1
    status = app.test_cli_runner().invoke(args=["mail", "status"])
    assert "Mail goes to: the log (EXCHANGE_MAIL_URL is not set)" in status.output
    from tests.conftest import Factory

    Factory(app).agency("northvale", domains=["northvale.example.gov"])
    _register(app.test_client(), "sam@northvale.example.gov")
    assert "Email not sent (no EXCHANGE_MAIL_URL) to sam@northvale.example.gov" in caplog.text
    assert "/verify/" in caplog.text


def test_a_server_asking_for_a_password_gets_the_one_in_the_url(new_app, smtp):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    smtp.stop()
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"mailer" and auth_data.password == b"s3cret pass")

    smtp.controller = Controller(smtp.inbox, hostname="127.0.0.1", port=smtp.port, authenticator=authenticator,
                                 auth_require_tls=False)
    smtp.controller.start()
    app = new_app(MAIL_URL=f"smtp://mailer:s3cret%20pass@127.0.0.1:{smtp.port}", MAIL_SEND="inline")
    from tests.conftest import Factory

    Factory(app).agency("northvale", domains=["northvale.example.gov"])
    _register(app.test_client(), "sam@northvale.example.gov")
    assert len(smtp.wait_for(1)) == 1 and seen == [(b"mailer", b"s3cret pass")]


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.gov", ("mail.example.gov", 25, False, False, "", "")),
    ("smtps://u:p@mail.example.gov", ("mail.example.gov", 465, True, False, "u", "p")),
    ("smtp://u%40x:p%2Fq@mail.example.gov:587?starttls=true", ("mail.example.gov", 587, False, True, "u@x", "p/q")),
])
def test_the_mail_url_names_the_server_and_how_to_reach_it(url, expected):
    server = parse(url)
    assert (server.host, server.port, server.tls, server.starttls, server.username, server.password) == expected


def test_a_mail_url_of_another_kind_stops_the_app(new_app):
    with pytest.raises(ValueError, match="smtp://"):
        new_app(MAIL_URL="http://mail.example.gov")
