"""Run an app under gunicorn on loopback and load it with wrk."""
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WARM_UP = int(os.environ.get("BENCH_WARM_UP", "1"))  # seconds of load before each measured run
CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"  # production's settings, for every app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: dict | None = None):
    """Serve ``target`` (module:app) with the same settings for every app; yield the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--config", str(CONFIG), "--workers", str(WORKERS),
               "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
               target]
    # The app's own request log (one JSON line a request) stays on: it is part of what is measured.
    log = open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "ab")
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_until_up(base: str, process, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            return
        except OSError:  # not listening yet (URLError and timeouts are OSErrors)
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not start")


def wrk(url: str, seconds: int, connections: int = 16, cookie: str | None = None) -> float:
    """Requests per second that wrk measured (non-2xx responses make it fail loudly); ``cookie`` is sent
    with every request (a signed-in member's session)."""
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    headers = {"Cookie": cookie} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        page = response.read()  # warm up, and fail early on an error page (or a member signed out)
        renewed = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("session=")]
    if cookie and b"Sign out" not in page:
        raise RuntimeError(f"{url} did not see the member signed in")
    # As a browser would: the site renews a session's last-seen time once a minute, and a browser sends the
    # renewed cookie from then on (wrk sends one cookie throughout, so it gets the freshest).
    cookie = renewed[0] if cookie and renewed else cookie
    extra = ["-H", f"Cookie: {cookie}"] if cookie else []
    # Unmeasured first: one request warmed one worker, and another's first render of a page (its templates
    # compiled, its caches filled: 0.6 s for a practice page) fell in the measured seconds. A worker pays
    # that once in its life (100,000 requests), not once in 5 seconds.
    subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{WARM_UP}s", *extra, url], capture_output=True, check=True)
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", *extra, url],
                            capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"{url} answered errors under load:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the form as a person would; the session cookie to send ("session=...")."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    opener.open(base + "/login", data=data, timeout=10).read()
    cookies = [f"{c.name}={c.value}" for c in jar if c.name == "session"]
    if not cookies or b"Sign out" not in opener.open(base + "/", timeout=10).read():
        raise RuntimeError(f"{email} could not sign in to the bench instance")
    return cookies[0]


def rss_mb(pid: int) -> float:
    """Resident memory of one process, in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker_pids(master_pid: int) -> list[int]:
    output = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True).stdout
    return [int(p) for p in output.split()]
