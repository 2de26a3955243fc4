"""A real, throw-away Spark Connect server on 127.0.0.1 for tests, from the pyspark pip package.

Why a real server: `sc://` URLs go through another client (gRPC, a plan sent to the server, Arrow batches
back) than local mode, with its own sessions, retries and errors; only a server shows what a user's
cluster would.

How: the pyspark wheel carries a whole Spark distribution (`pyspark/jars`, with `spark-connect_2.13-*.jar`,
and `pyspark/bin/spark-submit`), so `spark-submit --class org.apache.spark.sql.connect.service.
SparkConnectServer` starts the server in local mode in the foreground, listening on a free port of
127.0.0.1 only. Its log, warehouse, scratch and JVM temp dirs all live in one fresh temp dir, removed at
`stop()`. Readiness is the server's own log line plus an open port, within a deadline.

The server keeps Spark's defaults (ANSI mode on, the JVM's time zone): the session settings AutoViz
needs are the client's to set (`sgr.autoviz.engines.spark.SESSION_CONF`), so the tests check that it does.

    with SparkConnectServer() as server:
        server.url                      # "sc://127.0.0.1:PORT"

`TcpProxy` stands between a client and the server when a test needs the server to go away (`cut()`) while
the real one keeps serving the other tests.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import threading
from pathlib import Path
from typing import Any

from sgr.testing.net import port_answers
from sgr.testing.process_server import ServerStartError, ThrowAwayServer
from sgr.testing.spark_local import SparkUnavailable, java_version

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
DEFAULT_START_TIMEOUT = 180.0
#: the line the server logs once its gRPC service listens
READY_LINE = "Spark Connect server started at"
#: the Python modules of `pyspark[connect]` the client imports
CLIENT_MODULES = ("grpc", "grpc_status", "google.rpc", "zstandard")


class SparkConnectStartError(ServerStartError):
    """The server exited or did not listen in time; the message carries the tail of its log."""


def spark_home() -> Path:
    """The Spark distribution inside the pyspark package (raises `SparkUnavailable` without one)."""
    spec = importlib.util.find_spec("pyspark")
    if spec is None or spec.origin is None:
        raise SparkUnavailable("pyspark is not installed: pip install 'sgr-agents[spark]'")
    home = Path(spec.origin).parent
    if not (home / "bin" / "spark-submit").is_file() or not list((home / "jars").glob("spark-connect_*.jar")):
        raise SparkUnavailable(f"{home} has no bin/spark-submit or jars/spark-connect_*.jar; the pyspark wheel "
                               "from PyPI carries both")
    return home


def check_prerequisites() -> Path:
    """pyspark with its Connect client, and Java 17+; returns SPARK_HOME (raises `SparkUnavailable`)."""
    home = spark_home()
    missing = [m for m in CLIENT_MODULES if _missing(m)]
    if missing:
        raise SparkUnavailable(f"the Spark Connect client needs {', '.join(missing)}: "
                               "pip install 'sgr-agents[spark]' (pyspark[connect])")
    major = java_version()
    if major < 17:
        raise SparkUnavailable(f"Spark 4 needs Java 17+, but `java -version` says {major}")
    return home


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:  # a parent package is missing (google for google.rpc)
        return True


class SparkConnectServer(ThrowAwayServer):
    """One throw-away server: `with SparkConnectServer() as s: s.url`; `stop()` removes everything.

    The lifecycle (port race, log tail, cleanup) is `ThrowAwayServer`'s; this class adds Spark's command,
    its environment, and readiness by the server's own log line plus an open port.
    """

    root_prefix = "sgr-spark-connect-"
    #: gRPC's bind failure (a `java.net.BindException: Address already in use`)
    port_lost_words = ("Address already in use", "BindException")
    #: the JVM's shutdown hooks stop Spark; spark-submit `exec`s the JVM, so the process is the server itself
    stop_signal = signal.SIGTERM
    stop_grace = 30.0
    poll_interval = 0.2
    start_error = SparkConnectStartError

    def __init__(self, *, cores: int = 2, driver_memory: str = "1g", base_dir: str | Path | None = None,
                 start_timeout: float = DEFAULT_START_TIMEOUT) -> None:
        super().__init__(base_dir=base_dir, start_timeout=start_timeout)
        self.home = check_prerequisites()
        self.cores = cores
        self.driver_memory = driver_memory

    @property
    def url(self) -> str:
        """The Spark Connect URL of the server (no token, no TLS: loopback only)."""
        return f"sc://127.0.0.1:{self.port}"

    def describe(self) -> str:
        return f"the Spark Connect server ({self.home / 'bin' / 'spark-submit'})"

    def _prepare_root(self) -> None:
        """The dirs Spark writes to (conf, warehouse, scratch, JVM temp), all inside the temp dir."""
        assert self.root is not None
        for sub in ("conf", "warehouse", "scratch", "tmp"):
            (self.root / sub).mkdir()

    def _command(self) -> list[str]:
        assert self.root is not None
        conf = {
            "spark.master": f"local[{self.cores}]",
            "spark.app.name": "sgr-test-connect",
            "spark.connect.grpc.binding.address": "127.0.0.1",
            "spark.connect.grpc.binding.port": str(self.port),
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": str(self.cores),
            "spark.default.parallelism": str(self.cores),
            "spark.driver.memory": self.driver_memory,
            "spark.sql.catalogImplementation": "in-memory",
            "spark.sql.warehouse.dir": str(self.root / "warehouse"),
            "spark.local.dir": str(self.root / "scratch"),
            "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={self.root / 'tmp'}",
        }
        cmd = [str(self.home / "bin" / "spark-submit"), "--class", SERVER_CLASS]
        for key, value in conf.items():
            cmd += ["--conf", f"{key}={value}"]
        return cmd

    def _popen_kwargs(self) -> dict[str, Any]:
        """Spark's environment, with every setting that would make it a client of another server removed."""
        assert self.root is not None
        env = {**os.environ, "SPARK_HOME": str(self.home), "SPARK_LOCAL_IP": "127.0.0.1",
               "SPARK_CONF_DIR": str(self.root / "conf"), "SPARK_LOG_DIR": str(self.root)}
        for key in ("SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "SPARK_LOCAL_REMOTE", "PYSPARK_SUBMIT_ARGS"):
            env.pop(key, None)
        return {"env": env}

    def _ready(self) -> bool:
        """This attempt's server logged that it listens, and the port answers (its line alone could come
        before the socket accepts; the port alone could be another process's)."""
        return READY_LINE in self.attempt_log() and port_answers(self.port)


class TcpProxy:
    """Forwards a free port of 127.0.0.1 to `host:port` (a Connect server), byte for byte, until `cut()`.

    `cut()` closes the listener and every forwarded connection: to a client, the server went away (new
    connections are refused), while the real server keeps running for the other tests.
    """

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
                if self._cut:
                    client.close()
                    return
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                return  # cut
            with self._lock:
                self._sockets += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """Refuse new connections and drop the open ones."""
        self._cut = True
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() (a bare close() would not)
        self.listener.close()
        with self._lock:
            for sock in self._sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
