"""Handing a message to the mail server named by MAIL_URL (SMTP through smtplib), or to the log."""
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

log = logging.getLogger("exchange.mail")
SCHEMES = {"smtp": 25, "smtps": 465}


class SendFailed(Exception):
    """The server refused the message or could not be reached; the outbox tries again later."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool  # smtps: TLS from the first byte
    starttls: bool
    username: str
    password: str


def parse(url: str) -> SmtpServer:
    """``smtp://user:pass@host:port``, ``smtps://...`` or ``smtp://...?starttls=true``; ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError("EXCHANGE_MAIL_URL must look like smtp://user:pass@host:port or smtps://...")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    return SmtpServer(host=parts.hostname, port=parts.port or SCHEMES[parts.scheme], tls=parts.scheme == "smtps",
                      starttls=query.get("starttls") in ("true", "1", "yes", "on"),
                      username=unquote(parts.username or ""), password=unquote(parts.password or ""))


class SmtpSender:
    """Sends through one SMTP server, one connection per batch."""

    def __init__(self, server: SmtpServer, timeout: float):
        self.server, self.timeout = server, timeout

    def describe(self) -> str:
        return f"SMTP server {self.server.host}:{self.server.port}"

    def open(self) -> smtplib.SMTP:
        server = self.server
        try:
            if server.tls:
                connection = smtplib.SMTP_SSL(server.host, server.port, timeout=self.timeout,
                                              context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(server.host, server.port, timeout=self.timeout)
                if server.starttls:
                    connection.starttls(context=ssl.create_default_context())
            if server.username:
                connection.login(server.username, server.password)
            return connection
        except (OSError, smtplib.SMTPException) as error:
            raise SendFailed(f"cannot reach {self.describe()}: {error}") from None

    def send(self, connection, message: EmailMessage) -> None:
        try:
            connection.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise SendFailed(f"{self.describe()} refused the message: {error}") from None

    @staticmethod
    def close(connection) -> None:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


class LogSender:
    """No mail server configured (development): each message is written to the log instead."""

    def describe(self) -> str:
        return "the log (EXCHANGE_MAIL_URL is not set)"

    def open(self):
        return None

    def send(self, _connection, message: EmailMessage) -> None:
        text = message.get_body(("plain",))
        log.info("Email not sent (no EXCHANGE_MAIL_URL) to %s: %s\n%s", message["To"], message["Subject"],
                 text.get_content() if text else "")

    @staticmethod
    def close(_connection) -> None:
        pass


def make_sender(config):
    """The sender MAIL_URL names; the log when it is unset."""
    if not config.get("MAIL_URL"):
        return LogSender()
    return SmtpSender(parse(config["MAIL_URL"]), config["MAIL_TIMEOUT"])
