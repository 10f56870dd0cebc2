"""A real local Neo4j 5 Community server for development and tests, fetched from Maven Central.

No Docker engine is needed: ``mvn`` copies the jars of ``org.neo4j:neo4j``
(which bring the server entry point and the Bolt connector) into a cache
folder once; the server then runs from them on 127.0.0.1, on a free port,
with its configuration, data and logs in a folder of ours.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import StoreError

NEO4J_VERSION = "5.26.30"
_POM = f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>pacta.local</groupId><artifactId>neo4j-server-fetch</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>{NEO4J_VERSION}</version></dependency>
  </dependencies>
</project>
"""
# The settings bin/neo4j would pass (server.jvm.additional of the stock 5.26 config), minus AlwaysPreTouch.
_JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields", "-XX:+DisableExplicitGC", "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED", "-Dlog4j2.disable.jmx=true", "-Dfile.encoding=UTF-8",
]


def jar_cache() -> Path:
    """Where the server jars are kept: ``$PACTA_NEO4J_CACHE``, else ``~/.cache/pacta/neo4j-<version>``."""
    default = Path.home() / ".cache" / "pacta" / f"neo4j-{NEO4J_VERSION}"
    return Path(os.environ.get("PACTA_NEO4J_CACHE") or default)


def fetch_jars(cache: Path | None = None) -> Path:
    """The folder of server jars, fetched with ``mvn`` the first time (about 125 MB). Raises StoreError."""
    lib = (cache or jar_cache()) / "lib"
    if lib.is_dir() and any(lib.glob("neo4j-server-*.jar")):
        return lib
    if shutil.which("mvn") is None:
        raise StoreError("cannot fetch Neo4j: 'mvn' (Apache Maven) is not installed")
    lib.parent.mkdir(parents=True, exist_ok=True)
    tmp = lib.parent / f".lib-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    pom = lib.parent / "pom.xml"
    pom.write_text(_POM)
    proc = subprocess.run(
        ["mvn", "-B", "-q", "-f", str(pom), "dependency:copy-dependencies",
         f"-DoutputDirectory={tmp}", "-DincludeScope=runtime"],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-1:] or ["no output"]
        raise StoreError(f"cannot fetch Neo4j {NEO4J_VERSION} with mvn: {tail[0]}")
    os.replace(tmp, lib)
    return lib


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bolt_answers(port: int, timeout: float = 1.0) -> bool:
    """True when a Bolt server on 127.0.0.1:port completes the Bolt handshake."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            # magic preamble, then four proposed versions (5.x, 4.4, none, none)
            s.sendall(bytes.fromhex("6060B017") + bytes.fromhex("00040405 00000404 00000000 00000000"))
            return len(s.recv(4)) == 4
    except OSError:
        return False


@dataclass
class LocalNeo4j:
    """A local server whose configuration, data, logs and state file live in ``home``."""

    home: Path
    heap: str = "1g"
    pagecache: str = "512m"

    @property
    def _state(self) -> Path:
        return self.home / "run" / "pacta-server.json"

    def _conf(self, port: int) -> str:
        h = self.home.resolve()
        return "\n".join([
            "server.default_listen_address=127.0.0.1", "server.default_advertised_address=127.0.0.1",
            "server.bolt.enabled=true", f"server.bolt.listen_address=127.0.0.1:{port}",
            f"server.bolt.advertised_address=127.0.0.1:{port}",
            "server.http.enabled=false", "server.https.enabled=false",
            *(f"server.directories.{d}={h / d}" for d in ("data", "logs", "run", "plugins", "import")),
            "dbms.security.auth_enabled=false",  # listens on 127.0.0.1 only
            f"server.memory.pagecache.size={self.pagecache}", "dbms.usage_report.enabled=false",
            # without these, each database preallocates a 256 MiB transaction log
            "db.tx_log.preallocate=false", "db.tx_log.rotation.size=16m",
            "db.tx_log.rotation.retention_policy=1 files",
            # Bolt otherwise waits a 5 s quiet period twice when stopping
            "internal.dbms.bolt.netty_server_shutdown_quiet_period=0", "",
        ])

    def status(self) -> dict[str, object]:
        """``{"running": bool, "uri": str | None, "pid": int | None, "home": str}``."""
        try:
            state = json.loads(self._state.read_text())
        except (OSError, ValueError):
            return {"running": False, "uri": None, "pid": None, "home": str(self.home)}
        alive = _alive(int(state["pid"])) and bolt_answers(int(state["port"]))
        return {"running": alive, "uri": f"bolt://127.0.0.1:{state['port']}" if alive else None,
                "pid": state["pid"] if alive else None, "home": str(self.home)}

    def start(self, port: int | None = None, timeout: float = 180.0) -> str:
        """Start the server (or find it running) and return its Bolt URI once Bolt answers. Raises StoreError."""
        current = self.status()
        if current["running"]:
            return str(current["uri"])
        lib = fetch_jars()
        if shutil.which("java") is None:
            raise StoreError("cannot start Neo4j: 'java' (Java 17 or later) is not installed")
        port = port or free_port()
        for d in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / d).mkdir(parents=True, exist_ok=True)
        (self.home / "conf" / "neo4j.conf").write_text(self._conf(port))
        log = (self.home / "logs" / "console.log").open("ab")
        cmd = ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}", *_JVM_FLAGS, "-cp", f"{lib}/*",
               "org.neo4j.server.CommunityEntryPoint", f"--home-dir={self.home.resolve()}",
               f"--config-dir={(self.home / 'conf').resolve()}", "--console-mode"]
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        self._state.write_text(json.dumps({"pid": proc.pid, "port": port}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StoreError(f"Neo4j exited during start (code {proc.returncode}); see {log.name}")
            if bolt_answers(port):
                return f"bolt://127.0.0.1:{port}"
            time.sleep(0.5)
        self.stop()
        raise StoreError(f"Neo4j did not answer on bolt://127.0.0.1:{port} within {timeout:.0f} s; see {log.name}")

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the server cleanly (SIGTERM, then SIGKILL after ``timeout``); False if it was not running."""
        try:
            pid = int(json.loads(self._state.read_text())["pid"])
        except (OSError, ValueError, KeyError):
            return False
        running = _alive(pid)
        if running:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.2)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        self._state.unlink(missing_ok=True)
        return running


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True
