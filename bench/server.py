"""The app served as production serves it: gunicorn with docker-compose.yml's `web` command (its
workers, threads and every other option), on production settings, with hashed static files
collected as the image collects them. Only the address changes (a free loopback port), and the
WSGI module is bench.wsgi, which adds the query count header to shortbreaks.wsgi's application.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from bench.config import ROOT, WORK

APP = "shortbreaks.wsgi:application"
BENCH_APP = "bench.wsgi:application"


def production_command() -> list[str]:
    """docker-compose.yml's web command, as production runs it."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return list(compose["services"]["web"]["command"])


def bench_command(port: int) -> list[str]:
    command = production_command()
    if command[0] != "gunicorn" or APP not in command:
        raise RuntimeError(f"docker-compose.yml's web command is not gunicorn {APP}: {command}")
    command = [BENCH_APP if part == APP else part for part in command]
    if "--bind" in command:
        command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    else:
        command += ["--bind", f"127.0.0.1:{port}"]
    # gunicorn from this environment (compose runs the image's, on its PATH).
    return [sys.executable, "-m", "gunicorn", *command[1:]]


def _static_sources() -> str:
    """What the collected files are made from: the built assets and the locked packages."""
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for path in sorted((ROOT / "static" / "dist").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static(environment: dict) -> bool:
    """The hashed, compressed static files production serves (the Dockerfile's collectstatic),
    collected again only when what they are made from changed (compressing takes minutes)."""
    stamp = Path(environment["STATIC_ROOT"]) / ".bench-sources"
    sources = _static_sources()
    if stamp.exists() and stamp.read_text() == sources:
        return False
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=environment,
        cwd=ROOT,
        check=True,
    )
    stamp.write_text(sources)
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/sign-in/", headers={"X-Forwarded-Proto": "https"})
        return connection.getresponse().status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serving(environment: dict, *, log_name: str = "gunicorn.log") -> Iterator[int]:
    """Start gunicorn; yield its port once it answers; stop it (and only it) after."""
    port = free_port()
    command = bench_command(port)
    WORK.mkdir(parents=True, exist_ok=True)
    log: Path = WORK / log_name
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            env=environment,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; see {log}")
                time.sleep(0.3)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
