"""Email: the outbox and its sender, what each email says, preferences, digests and unsubscribing.

The top domain: it hears the others (accounts' signals, community's notifications) and queues
emails in their transactions, so no lower domain knows about mail.
"""
import logging

log = logging.getLogger("exchange.mail")
SAID = "exchange.mail.said"


def init_app(app) -> None:
    """Send after commit, hear the events that cause emails, and say where mail goes when serving starts.

    A "Get updates" page (exchange/community) shows how the reader now gets email about what they follow.
    """
    from exchange.mail import listeners, preferences, sender, worker
    from exchange.templating import add_page_part

    add_page_part(app, "updates", lambda _target: preferences.following_emails())
    sender.make_sender(app.config)  # a MAIL_URL it cannot use stops the app now, not at the first email
    worker.listen(app)
    listeners.listen()
    app.before_request(lambda: say_where_mail_goes(app))


def say_where_mail_goes(app) -> None:
    """Once per server process, at its first request (commands stay quiet; `exchange mail status` says it)."""
    if app.extensions.get(SAID):
        return
    app.extensions[SAID] = True
    from exchange.mail.sender import make_sender

    where = make_sender(app.config).describe()
    if app.config["MAIL_URL"]:
        log.info("Mail: sent through %s (EXCHANGE_MAIL_SEND=%s)", where, app.config["MAIL_SEND"])
    else:
        log.warning("Mail: EXCHANGE_MAIL_URL is not set, so emails are written to the log and NOT sent "
                    "(fine in development; set it in production)")
