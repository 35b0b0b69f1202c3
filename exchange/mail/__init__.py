"""Email: the outbox and its sender, what each email says, preferences, digests and unsubscribing.

The top domain: it hears the others (accounts' signals, community's notifications) and queues
emails in their transactions, so no lower domain knows about mail.
"""
import logging

log = logging.getLogger("exchange.mail")


def init_app(app) -> None:
    """Send after commit, hear the events that cause emails, and say where mail goes."""
    from exchange.mail import listeners, sender, worker

    worker.listen(app)
    listeners.listen()
    where = sender.make_sender(app.config).describe()
    if app.config["MAIL_URL"]:
        log.info("Mail: sent through %s (%s)", where, app.config["MAIL_SEND"])
    else:
        log.warning("Mail: EXCHANGE_MAIL_URL is not set, so emails are written to the log and NOT sent "
                    "(fine in development; set it in production)")
