"""Runs tests/oidc/provider.js, a real OpenID Connect provider (the npm package oidc-provider), on loopback.

Its packages are installed on first use (``npm ci``, pinned by package-lock.json; ``make install-test``
does it too). It serves https with a certificate made here, which the app is told to trust
(``SSO_CA_FILE``), so the app talks to it exactly as to an agency's provider.
"""
import datetime
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urljoin

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
SITE = "http://localhost"  # where the Flask test client says the app is


def install() -> None:
    """``npm ci`` in tests/oidc unless its packages are there already."""
    if (HERE / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError("The SSO tests need Node.js and npm (they run the oidc-provider package).")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True)


def certificate(folder: Path) -> tuple[Path, Path]:
    """A key and a self-signed certificate for 127.0.0.1 (the app trusts it with ``SSO_CA_FILE``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / "key.pem", folder / "cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Provider:
    """A running provider: its issuer, certificate, and a browser stand-in that signs a person in."""

    def __init__(self, folder: Path, clients: list[dict], accounts: dict, tls: tuple[Path, Path] | None = None):
        install()
        self.key, self.ca_file = tls or certificate(folder)
        port = _free_port()
        self.issuer = f"https://127.0.0.1:{port}"
        env = {**os.environ, "OIDC_PORT": str(port), "OIDC_TLS_KEY": str(self.key), "OIDC_TLS_CERT": str(self.ca_file),
               "OIDC_CLIENTS": json.dumps(clients), "OIDC_ACCOUNTS": json.dumps(accounts)}
        self.log = (folder / "provider.log").open("w")
        self.process = subprocess.Popen(["node", str(HERE / "provider.js")], env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the provider stopped: {Path(self.log.name).read_text()}")
            try:
                requests.get(self.issuer + "/.well-known/openid-configuration", verify=self.ca_file, timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError("the provider did not start in time")

    def tamper(self, mode: str = "") -> None:
        """From now on the ID tokens come back changed (see provider.js), or unchanged with ""."""
        requests.post(f"{self.issuer}/_test/tamper", params={"mode": mode}, verify=self.ca_file, timeout=5)

    def sign_in(self, authorization_url: str) -> str:
        """Follow the provider's redirects as a browser would; returns the app's callback URL it ends on."""
        browser = requests.Session()
        url = authorization_url
        for _ in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10, verify=self.ca_file)
            location = response.headers.get("Location")
            if not location:
                raise AssertionError(f"the provider answered {response.status_code}: {response.text[:300]}")
            url = urljoin(url, location)
            if url.startswith(SITE + "/"):
                return url[len(SITE):]
        raise AssertionError("too many redirects at the provider")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
