"""Passwords of the installation: generated once, kept under `<state>/secrets/`.

Each file holds one password and is readable by its owner only (mode 0600, folder 0700).

The pipeline's logins (loader, transformer, …) are roles of the whole server, shared by
every process and every state folder that uses it (a test's own state folder, Airflow's
task processes). Their passwords are therefore derived from the administrator's password
(HMAC, so they reveal nothing of it): whoever may bootstrap the warehouse can compute them,
nobody else. `CCHC_<ROLE>_PASSWORD` overrides a role's password; with a password-less
administrator DSN a role's password is generated and kept like the others.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cchc.paths import state_dir


def secrets_dir() -> Path:
    """The folder of generated passwords (created with mode 0700)."""
    folder = state_dir() / "secrets"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def generated_secret(name: str) -> str:
    """The secret stored as `<state>/secrets/<name>`, generated on first use."""
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


def role_password(role: str, admin_password: str | None) -> str:
    """The password of pipeline login `role` on the server whose administrator has
    `admin_password`: `CCHC_<ROLE>_PASSWORD`, else derived from it, else generated."""
    configured = os.environ.get(f"CCHC_{role.upper()}_PASSWORD")
    if configured:
        return configured
    if admin_password:
        return hmac.new(admin_password.encode(), f"cchc-login/{role}".encode(),
                        hashlib.sha256).hexdigest()
    return generated_secret(f"{role}.password")
