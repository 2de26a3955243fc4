"""A real, throw-away PostgreSQL on 127.0.0.1 for tests and benchmarks, from the Debian packages.

Why a real server: the properties we sell on PostgreSQL (two service processes sharing one audit log
without losing or duplicating a decision, COPY loads, migrations run by racing replicas) are properties
of the server's locking and sequences, which no mock or SQLite stand-in has.

How: the binaries come from `/usr/lib/postgresql/<version>/bin` (Debian's `postgresql` package; the newest
version wins, `$SGR_PG_BIN` points elsewhere); `initdb` writes a cluster into a fresh temp dir and
`postgres` listens on a free port on 127.0.0.1 only, with its Unix socket in that temp dir (never in
/var/run/postgresql, which may belong to a system cluster). Trust authentication is safe there: only
loopback, only for the life of the test session. PostgreSQL refuses to run as root, so as root both run as
the `postgres` user (created by the Debian package) and the temp dir is handed to it.

Not durable by default (`fsync=off`, `synchronous_commit=off`): a test cluster is deleted at the end, and
durability is not what the tests measure. Pass `durable=True` to time commits as production would.

    with postgres_server() as dsn:          # "postgresql://postgres@127.0.0.1:PORT/postgres"
        create_database(dsn, "t1")           # an isolated database per test, cheap to make
"""

from __future__ import annotations

import glob
import os
import pwd
import signal
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sgr.testing.process_server import ServerStartError, ThrowAwayServer

BIN_ENV = "SGR_PG_BIN"
RUN_AS = "postgres"
DEFAULT_START_TIMEOUT = 60.0
SUPERUSER = "postgres"
#: a test cluster trades durability for speed; `durable=True` keeps PostgreSQL's defaults
FAST_SETTINGS: Mapping[str, str] = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
#: what the postmaster logs (at LOG level, which only log_min_messages=fatal hides) once it takes connections
READY_LINE = "database system is ready to accept connections"
_INSTALL_HINT = "install it with `apt-get install -y postgresql` (Debian/Ubuntu), or set $SGR_PG_BIN"


class PostgresNotFound(RuntimeError):
    """No PostgreSQL server binaries on this machine (tests skip with this message; CI installs them)."""


class PostgresStartError(ServerStartError):
    """initdb or the server failed; the message carries the tail of its log."""


def find_bin_dir() -> Path:
    """The directory holding `initdb` and `postgres`: $SGR_PG_BIN, else the newest Debian version."""
    env = os.environ.get(BIN_ENV)
    if env:
        path = Path(env).expanduser()
        if not (path / "initdb").is_file():
            raise PostgresNotFound(f"${BIN_ENV}={env} has no initdb")
        return path
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    if not found:
        raise PostgresNotFound(f"no PostgreSQL server binaries under /usr/lib/postgresql/*/bin; {_INSTALL_HINT}")

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in path.parent.name.split(".") if p.isdigit())

    return max(found, key=version)


def _run_as() -> pwd.struct_passwd | None:
    """The account to run the server as: None when we are not root, else the `postgres` user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(RUN_AS)
    except KeyError:
        raise PostgresNotFound(f"running as root, and PostgreSQL refuses root, but there is no `{RUN_AS}` user; "
                               f"{_INSTALL_HINT}") from None


def _reachable_by_others(path: Path) -> bool:
    """Whether every directory above `path` lets another user pass (the server must reach its data dir)."""
    return all(os.stat(parent).st_mode & 0o001 for parent in path.resolve().parents)


class PostgresServer(ThrowAwayServer):
    """One throw-away cluster: `with PostgresServer() as pg: pg.dsn`; `stop()` removes everything.

    The lifecycle (port race, log tail, cleanup) is `ThrowAwayServer`'s; this class adds initdb, the
    `postgres` account when we are root, and readiness by its own log line plus `pg_isready`.
    """

    root_prefix = "sgr-pg-"
    #: a bind that failed ("could not bind IPv4 address ...: Address already in use")
    port_lost_words = ("could not bind", "Address already in use")
    #: fast shutdown: abort open transactions, exit cleanly (SIGTERM would wait for every client to leave)
    stop_signal = signal.SIGINT
    stop_grace = 20.0
    start_error = PostgresStartError

    def __init__(self, *, durable: bool = False, settings: Mapping[str, str] | None = None,
                 base_dir: str | Path | None = None, start_timeout: float = DEFAULT_START_TIMEOUT) -> None:
        super().__init__(base_dir=base_dir, start_timeout=start_timeout)
        self.bin = find_bin_dir()
        self.user = _run_as()
        self.settings = {**({} if durable else FAST_SETTINGS), **(settings or {})}

    @property
    def dsn(self) -> str:
        """libpq URI of the `postgres` database as the superuser (trust auth on loopback: no password)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    @property
    def version(self) -> str:
        """The server's major version, from its directory name (e.g. "15")."""
        return self.bin.parent.name

    def describe(self) -> str:
        return f"PostgreSQL {self.version} ({self.bin / 'postgres'})"

    def _temp_parent(self) -> Path:
        """The base dir, else the system's temp dir, unless the `postgres` user could not reach it."""
        parent = Path(self.base_dir) if self.base_dir is not None else Path(tempfile.gettempdir())
        if self.user is not None and not _reachable_by_others(parent):
            parent = Path("/tmp")  # e.g. $TMPDIR under /root: the postgres user could not reach it
        return parent

    def _popen_kwargs(self) -> dict[str, Any]:
        if self.user is None:
            return {}
        env = {**os.environ, "HOME": self.user.pw_dir, "USER": RUN_AS, "LOGNAME": RUN_AS}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": [], "env": env}

    def _prepare_root(self) -> None:
        """Hand the temp dir to the account that runs the server, and initdb a cluster into it."""
        assert self.root is not None
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        cmd = [str(self.bin / "initdb"), "-D", str(self.root / "data"), "-U", SUPERUSER, "--auth=trust",
               "--encoding=UTF8", "--no-locale", "--no-sync"]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.root, check=False,
                              **self._popen_kwargs())
        if done.returncode != 0:
            raise PostgresStartError(f"initdb failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")

    def _command(self) -> list[str]:
        assert self.root is not None
        args = [str(self.bin / "postgres"), "-D", str(self.root / "data"), "-p", str(self.port),
                "-k", str(self.root), "-c", "listen_addresses=127.0.0.1"]
        for key, value in self.settings.items():
            args += ["-c", f"{key}={value}"]
        return args

    def _ready(self) -> bool:
        """This attempt's server logged that it is ready, and `pg_isready` gets an answer on the port (the
        port alone could be another server's, after a lost race)."""
        if READY_LINE not in self.attempt_log():
            return False
        done = subprocess.run([str(self.bin / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", SUPERUSER, "-d", "postgres"], capture_output=True, check=False)
        return done.returncode == 0


@contextmanager
def postgres_server(*, durable: bool = False, settings: Mapping[str, str] | None = None) -> Iterator[str]:
    """A running throw-away server for the block; yields its superuser DSN."""
    with PostgresServer(durable=durable, settings=settings) as server:
        yield server.dsn


def with_database(dsn: str, name: str) -> str:
    """The same server and credentials, another database."""
    head, _, tail = dsn.rpartition("/")
    query = tail.partition("?")[2]
    return f"{head}/{name}" + (f"?{query}" if query else "")


def create_database(dsn: str, name: str) -> str:
    """CREATE DATABASE `name` (an identifier: letters, digits, _) on the server of `dsn`; returns its DSN."""
    import psycopg
    from psycopg import sql

    if not name.replace("_", "").isalnum() or not name.isascii():
        raise ValueError(f"database name {name!r}: use ASCII letters, digits and _")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return with_database(dsn, name)
