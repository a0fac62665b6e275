"""Passwords of the installation: generated once, kept in the secrets folder.

The folder is `CCHC_SECRETS_DIR`, else `<state>/secrets/` (mode 0700; each file holds one
password, mode 0600). It belongs to the server, not to a process: every state folder and
process using one server (a test's own state folder, Airflow's task processes, the
containers through their shared volume) must name the same folder.

- `pg-superuser.password`: the embedded server's administrator. Only the bootstrap (and
  the tests' database fixtures) reads it.
- `<login>.password`: each pipeline login's own password (loader, transformer, checker,
  reporter, and `airflow` for Airflow's metadata database), drawn at random and
  independently of every other: knowing one tells nothing of the others or of the
  administrator's. The bootstrap sets each role to its file's value (`ALTER ROLE …
  PASSWORD`), so an existing cluster is rotated in place. A stage reads its own file only,
  through `login_password`.

`CCHC_<LOGIN>_PASSWORD` overrides a login's file, e.g. in a container that gets it from
the deployment's secret store.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from cchc.paths import state_dir


def secrets_dir() -> Path:
    """The folder of generated passwords (created with mode 0700)."""
    configured = os.environ.get("CCHC_SECRETS_DIR")
    folder = Path(configured).resolve() if configured else state_dir() / "secrets"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def generated_secret(name: str) -> str:
    """The secret stored as `<secrets>/<name>`, generated on first use."""
    path = secrets_dir() / name
    try:
        # O_EXCL: two processes starting at once agree on the first one's value.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    value = secrets.token_urlsafe(24)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
    return value


def secret_path(name: str) -> Path:
    """Where `generated_secret(name)` keeps its value (generating it if needed)."""
    generated_secret(name)
    return secrets_dir() / name


def login_password(login: str) -> str:
    """The password of pipeline login `login`: `CCHC_<LOGIN>_PASSWORD`, else its own file.

    Never derived from anything: the bootstrap sets the role to this value.
    """
    configured = os.environ.get(f"CCHC_{login.upper()}_PASSWORD")
    return configured or generated_secret(f"{login}.password")
