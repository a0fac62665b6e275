"""The project's own PostgreSQL server, used when no `WAREHOUSE_DSN` is configured.

It lives in `<state>/pg/` (data folder, log, port file), listens on 127.0.0.1 only, on a
free port chosen when it first starts, with trust authentication: it is a local
development and test server, never a deployment (docker-compose.yml is that).

Server binaries come from, in order: `CCHC_PG_BIN`, `pg_config --bindir`, the newest
`/usr/lib/postgresql/<version>/bin`, or `initdb` on PATH.

PostgreSQL refuses to run as root. Sessions and CI here run as root, so the server then
runs inside a user namespace (`unshare --user --map-user`) where the calling user is an
unprivileged uid: files the project creates appear owned by that uid, which is exactly
what the server checks, and nothing on the host changes owner.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cchc.settings import state_dir

WAREHOUSE_DB = "cchc"
SUPERUSER = "cchc"
#: uid the server runs as inside the user namespace when we are root ('nobody' exists everywhere).
_UNPRIVILEGED_UID = 65534


class EmbeddedPostgresError(RuntimeError):
    """The embedded server cannot be found, initialised or started."""


@dataclass(frozen=True)
class EmbeddedServer:
    """A running embedded server."""

    port: int
    data_dir: Path

    def dsn(self, dbname: str = WAREHOUSE_DB) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"


def _pg_dir() -> Path:
    return state_dir() / "pg"


def _data_dir() -> Path:
    return _pg_dir() / "data"


def _port_file() -> Path:
    return _pg_dir() / "port"


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl, or a clear error saying what is missing."""
    explicit = os.environ.get("CCHC_PG_BIN")
    if explicit:
        if (Path(explicit) / "initdb").exists() and (Path(explicit) / "pg_ctl").exists():
            return Path(explicit)
        raise EmbeddedPostgresError(
            f"CCHC_PG_BIN={explicit} holds no initdb and pg_ctl: point it at the bin folder "
            "of a PostgreSQL server installation (e.g. /usr/lib/postgresql/15/bin)."
        )
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], check=False, capture_output=True, text=True)
        if out.returncode == 0:
            candidates.append(Path(out.stdout.strip()))
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(Path(p) for p in versions)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise EmbeddedPostgresError(
        "No PostgreSQL server binaries (initdb, pg_ctl) were found, so the embedded warehouse "
        "cannot start. Either install PostgreSQL (Debian/Ubuntu: `apt-get install postgresql`), "
        "point CCHC_PG_BIN at a folder holding initdb and pg_ctl, or set WAREHOUSE_DSN to an "
        "existing server, e.g. WAREHOUSE_DSN=postgresql://user@host:5432/cchc."
    )


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    if not shutil.which("unshare"):
        raise EmbeddedPostgresError(
            "Running as root: PostgreSQL will not run as root and `unshare` (util-linux) is "
            "missing. Run as an ordinary user, install util-linux, or set WAREHOUSE_DSN."
        )
    return [
        "unshare", "--user",
        f"--map-user={_UNPRIVILEGED_UID}", f"--map-group={_UNPRIVILEGED_UID}",
        "--", *cmd,
    ]


def _run(cmd: list[str], what: str) -> None:
    result = subprocess.run(_as_server_user(cmd), check=False, capture_output=True, text=True)
    if result.returncode != 0:
        raise EmbeddedPostgresError(
            f"{what} failed (exit {result.returncode}): {result.stderr.strip() or result.stdout.strip()}"
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def status() -> EmbeddedServer | None:
    """The running server, or None when it is not running."""
    if not _port_file().exists() or not (_data_dir() / "postmaster.pid").exists():
        return None
    port = int(_port_file().read_text().strip())
    return EmbeddedServer(port, _data_dir()) if _port_answers(port) else None


def _initdb(bindir: Path) -> None:
    data = _data_dir()
    data.parent.mkdir(parents=True, exist_ok=True)
    _run(
        [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
         "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
        "initdb",
    )
    # Sized for a 2-core laptop-class machine; bulk loads favour fewer, larger checkpoints.
    with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(
            "\n# cchc embedded server\n"
            "listen_addresses = '127.0.0.1'\n"
            "unix_socket_directories = ''\n"
            "max_connections = 100\n"
            "shared_buffers = 256MB\n"
            "work_mem = 32MB\n"
            "maintenance_work_mem = 256MB\n"
            "max_wal_size = 2GB\n"
            "timezone = 'Asia/Ho_Chi_Minh'\n"
        )


def ensure_running() -> EmbeddedServer:
    """Start the embedded server (initialising it first if needed); idempotent."""
    running = status()
    if running:
        return running
    bindir = find_bindir()
    if not (_data_dir() / "PG_VERSION").exists():
        _initdb(bindir)
    # A previous server killed hard leaves its pid file; pg_ctl handles a stale one itself.
    port = _free_port()
    log = _pg_dir() / "server.log"
    _run(
        [str(bindir / "pg_ctl"), "-D", str(_data_dir()), "-l", str(log), "-w", "-t", "60",
         "-o", f"-p {port}", "start"],
        f"starting PostgreSQL (log: {log})",
    )
    _port_file().write_text(f"{port}\n")
    server = EmbeddedServer(port, _data_dir())
    _wait_until_accepting(server)
    _ensure_database(server, WAREHOUSE_DB)
    return server


def _wait_until_accepting(server: EmbeddedServer, timeout: float = 30.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(server.dsn("postgres"), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _ensure_database(server: EmbeddedServer, dbname: str) -> None:
    import psycopg

    with psycopg.connect(server.dsn("postgres"), autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(f'create database "{dbname}"')


def stop() -> bool:
    """Stop the embedded server cleanly; False when it was not running."""
    if not (_data_dir() / "postmaster.pid").exists():
        return False
    _run([str(find_bindir() / "pg_ctl"), "-D", str(_data_dir()), "-m", "fast", "-w", "stop"],
         "stopping PostgreSQL")
    return True


def restart(mode: str = "fast") -> EmbeddedServer:
    """Restart the running server on the same port (`pg_ctl restart`): every session ends,
    as when a production server restarts. Used by the fault tests."""
    server = status()
    if server is None:
        raise EmbeddedPostgresError("the embedded server is not running, so it cannot restart")
    _run([str(find_bindir() / "pg_ctl"), "-D", str(_data_dir()), "-l", str(_pg_dir() / "server.log"),
          "-m", mode, "-w", "-t", "60", "restart"], "restarting PostgreSQL")
    _wait_until_accepting(server)
    return server
