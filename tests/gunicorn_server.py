"""Start the app under a real gunicorn for a test, and stop it afterwards."""
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(command: list, cwd: Path, env: dict, log: Path, wait_for: str = "/healthz", **popen):
    """Run ``command`` (a gunicorn command line without --bind) on a free port; yield its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        process = subprocess.Popen([*command, "--bind", f"127.0.0.1:{port}"], cwd=cwd, env=env,
                                   stdout=subprocess.DEVNULL, stderr=out, **popen)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(base + wait_for, timeout=2)
                break
            except urllib.error.HTTPError:  # it answers, if not yet with 200 (an index not built yet)
                break
            except OSError:  # not up yet
                if process.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
