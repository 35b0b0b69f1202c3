"""A real SMTP server (aiosmtpd) on loopback for each test, and an app that sends to it after each commit."""
import email
import re
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://[^\s<>\"]+")


class Inbox:
    """What the server received: parsed messages, in order."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler protocol
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


class SmtpServer:
    """A loopback SMTP server that can be stopped and started again on the same port."""

    def __init__(self):
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self):
        return self.inbox.messages

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str):
        """The messages sent to this address."""
        return [m for m in self.messages if address in m.envelope_to]

    def wait_for(self, count: int, seconds: float = 5.0):
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def link_in(message, path_part: str) -> str:
    """The link in the email's text whose path contains ``path_part``."""
    links = [link for link in LINK.findall(text_of(message)) if path_part in link]
    assert links, f"no link with {path_part!r} in: {text_of(message)}"
    return links[0]


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(new_app, smtp):
    """The app of the mail tests: sends inline after each commit, to the real server."""
    return new_app(MAIL_URL=smtp.url, MAIL_SEND="inline", MAIL_RETRY_SECONDS=0)
