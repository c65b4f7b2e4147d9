"""A throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temp dir, listening on loopback only.

One cluster serves the whole session; each test that needs a clean catalogue gets its own database
(``CREATE DATABASE`` copies the template in well under a second). The server binaries come from
Debian's ``postgresql`` package (``make postgres-deps``). As root the server cannot run as root, so
initdb and pg_ctl run as the ``postgres`` system user through ``runuser``.

``REQUIRE_POSTGRES=1`` (set by ``make test``) turns "no server binaries / no driver" from a skip into
a failure, so a clean clone cannot pass without having run the PostgreSQL tests.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SERVICE_USER = "postgres"


class ClusterUnavailableError(RuntimeError):
    """No PostgreSQL server binaries or no psycopg driver on this machine."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def find_bin_dir() -> Path:
    """The folder holding initdb and pg_ctl (PATH first, then Debian's /usr/lib/postgresql/<v>/bin)."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    msg = "PostgreSQL server binaries not found (run `make postgres-deps`, or apt-get install postgresql)"
    raise ClusterUnavailableError(msg)


@dataclass
class PostgresCluster:
    """A running cluster: ``url(dbname)`` gives a SQLAlchemy URL, ``new_database()`` a fresh database."""

    root: Path
    port: int
    bin_dir: Path
    version: str = ""
    _databases: list[str] = field(default_factory=list)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", SERVICE_USER, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)

    def url(self, dbname: str = "postgres") -> str:
        """The SQLAlchemy URL of ``dbname`` on this cluster (trust auth on loopback)."""
        return f"postgresql+psycopg://{SERVICE_USER if os.geteuid() == 0 else _me()}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url().replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        self._databases.append(name)
        return self.url(name)

    def start(self) -> None:
        """initdb (C collation, UTF-8, trust auth) and start the server on 127.0.0.1:port."""
        data = self.root / "data"
        made = self._run("initdb", "-D", str(data), "-A", "trust", "-E", "UTF8", "--locale=C", "-U", self._user())
        if made.returncode != 0:
            msg = f"initdb failed: {made.stderr[-2000:]}"
            raise RuntimeError(msg)
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='{self.root}' -c fsync=off"
        opts += " -c max_connections=200 -c full_page_writes=off -c synchronous_commit=off"
        started = self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-o", opts, "start")
        if started.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace") if (self.root / "server.log").exists() else ""
            msg = f"pg_ctl start failed: {started.stderr[-1000:]} {log[-2000:]}"
            raise RuntimeError(msg)
        version = self._run("pg_ctl", "--version")
        self.version = version.stdout.strip()

    def stop(self) -> None:
        """Stop the server (fast shutdown) and remove its folder."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def _user(self) -> str:
        return SERVICE_USER if os.geteuid() == 0 else _me()


def _me() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def start_cluster() -> PostgresCluster:
    """Start a cluster in a new temp dir (owned by the service user when run as root)."""
    try:
        import psycopg  # noqa: F401
    except ImportError as e:
        msg = "the psycopg driver is not installed (pip install -e '.[postgres]')"
        raise ClusterUnavailableError(msg) from e
    bin_dir = find_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="pa-postgres-"))
    if os.geteuid() == 0:
        info = pwd.getpwnam(SERVICE_USER)
        os.chown(root, info.pw_uid, info.pw_gid)
    cluster = PostgresCluster(root=root, port=_free_port(), bin_dir=bin_dir)
    try:
        cluster.start()
    except Exception:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return cluster
