"""Real services the fault tests start, break and restart on their own free ports: a RabbitMQ node, a Redis server,
Celery workers and beat. The machine's shared services are never touched."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings

RABBITMQ_SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")  # Debian's, run as the current user
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{what}: not after {timeout:.0f} s")


def accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Service:
    """A server process in its own session (so that it can be killed whole), its output in a log file."""

    def __init__(self, folder: Path, name: str):
        self.folder = folder
        self.name = name
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}.log"

    def _spawn(self, command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 60) -> None:
        """Graceful stop (SIGTERM to the whole process group), then SIGKILL if it does not end."""
        if not self.running:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """kill -9 of every process of the service at once, as an out-of-memory killer or a power cut would."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)

    def tail(self, characters: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-characters:] if self.log.exists() else ""


class RabbitMQNode(Service):
    """A RabbitMQ node of its own (name, ports, data folder); its durable queues survive a restart."""

    def __init__(self, folder: Path):
        super().__init__(folder, "rabbitmq")
        self.port, self.dist_port = free_port(), free_port()
        self.node = f"faults-{uuid.uuid4().hex[:8]}@localhost"
        (folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.local = 127.0.0.1:{self.port}\ndisk_free_limit.absolute = 50MB\n"
        )
        (folder / "enabled_plugins").write_text("[].\n")
        (folder / "rabbitmq-env.conf").write_text("")
        self.env = os.environ | {
            "HOME": str(folder),  # its own Erlang cookie
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(folder / "log"),
            "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(folder / "rabbitmq-env.conf"),
            "RABBITMQ_PID_FILE": str(folder / "rabbitmq.pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    def start(self) -> None:
        self._spawn([str(RABBITMQ_SERVER)], env=self.env, cwd=self.folder)
        wait_until(lambda: accepts_connections(self.port) or not self.running, 120, "RabbitMQ starting")
        assert self.running, self.tail()


class RedisServer(Service):
    """A Redis server of its own that keeps its data on disk, so that a restart finds the pages it held."""

    def __init__(self, folder: Path):
        super().__init__(folder, "redis")
        self.port = free_port()

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        self._spawn(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
            + ["--appendonly", "yes", "--save", "", "--daemonize", "no"]
        )
        wait_until(lambda: accepts_connections(self.port) or not self.running, 30, "Redis starting")
        assert self.running, self.tail()

    def pause(self) -> None:
        """A Redis that hangs: connections are accepted, nothing is answered."""
        os.killpg(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.killpg(self.process.pid, signal.SIGCONT)


def celery_environment(broker_url: str, redis_url: str = "") -> dict[str, str]:
    """What a Celery process of the tests needs: the test database, the given broker and cache."""
    database = settings.DATABASES["default"]
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return {
        "DATABASE_URL": f"postgres://{database['USER']}@{host}/{database['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "observatory.settings.base",
        "IMPORT_RECOVERY_SECONDS": "2",  # beat's recovery round, every minute in production
    }


class CeleryProcess(Service):
    """`celery -A observatory worker` (or beat) with the given environment (see celery_environment)."""

    def __init__(self, folder: Path, name: str, environment: dict[str, str]):
        super().__init__(folder, name)
        self.environment = environment

    def start_worker(self, concurrency: int = 1, queue: str = "") -> None:
        """``queue``: consume only that queue (default: Celery's default queue)."""
        hostname = f"{self.name}-{uuid.uuid4().hex[:8]}@%h"  # unique: a restarted worker is a new node
        queues = ["-Q", queue] if queue else []
        self._celery("worker", "--pool", "prefork", "-c", str(concurrency), "-n", hostname, "-l", "INFO", *queues)

    def wait_until_ready(self, timeout: float = 120) -> None:
        """The worker says it is ready once it consumes from the broker (what a web process can count on)."""
        wait_until(lambda: " ready." in self.tail() or not self.running, timeout, f"{self.name} ready")
        assert self.running, self.tail()

    def start_beat(self) -> None:
        self._celery("beat", "-l", "INFO", "-s", str(self.folder / "celerybeat-schedule"))

    def _celery(self, *arguments: str) -> None:
        self._spawn(
            [sys.executable, "-m", "celery", "-A", "observatory", *arguments],
            env=os.environ | self.environment,
            cwd=Path(settings.BASE_DIR),
        )
