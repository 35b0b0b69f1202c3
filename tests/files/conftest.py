import io

import pytest
from werkzeug.test import EnvironBuilder

from tests.conftest import bearer


class Uploader:
    """Uploads through the API as one person (a verified member by default)."""

    def __init__(self, client, make, user=None):
        self.client, self.make = client, make
        self.user = user or make.user()
        self.token = make.token(self.user)

    def post(self, data: bytes, name: str = "file.bin", path: str = "/api/v1/files", **fields):
        return send_file(self.client, path, data, name, headers=bearer(self.token), **fields)


def send_file(client, path: str, data: bytes, name: str, headers=None, **fields):
    """POST a multipart form with a file; closes the body afterwards (Werkzeug's test client leaves a large
    one, spooled to a temporary file, open)."""
    environ = EnvironBuilder(path=path, method="POST", headers=headers or {},
                             data={"file": (io.BytesIO(data), name), **fields}).get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()


@pytest.fixture
def uploader(client, make):
    return Uploader(client, make)
