"""Logins for people: inspectors (read the published marts) and reporters (build reports).

A person's login is a member of the group `inspector` or `reporter` (cchc/sql/grants.sql
says what each may do) with a generated password shown once; the pipeline's own logins
(loader, transformer, checker, reporter) are not people's and cannot be added or removed.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from psycopg import sql

from cchc.settings import STAGE_ROLES
from cchc.warehouse import connect

PERSON_ROLES = ("inspector", "reporter")
_NAME = re.compile(r"^[a-z][a-z0-9_]{2,62}$")
_RESERVED = {*STAGE_ROLES.values(), *PERSON_ROLES, "postgres", "airflow", "public"}


class UserError(ValueError):
    """A login cannot be added or removed; the message says why."""


@dataclass(frozen=True)
class Login:
    name: str
    role: str


def _check_name(name: str) -> None:
    if not _NAME.match(name):
        raise UserError(f"login name {name!r}: use 3-63 lowercase letters, digits or _, "
                        "starting with a letter (e.g. thanhtra_nguyenvana)")
    if name in _RESERVED or name.startswith("pg_"):
        raise UserError(f"login name {name!r} is reserved for the warehouse itself")


def add_user(admin_dsn: str, name: str, role: str) -> str:
    """Create login `name` in group `role`; return its generated password (shown once)."""
    _check_name(name)
    if role not in PERSON_ROLES:
        raise UserError(f"role {role!r}: choose one of {', '.join(PERSON_ROLES)}")
    password = secrets.token_urlsafe(18)
    with connect(admin_dsn, autocommit=True) as conn:
        if conn.execute("select 1 from pg_roles where rolname = %s", (name,)).fetchone():
            raise UserError(f"login {name!r} already exists; remove it first to reset it")
        conn.execute(sql.SQL("create role {} login password {} in role {}").format(
            sql.Identifier(name), sql.Literal(password), sql.Identifier(role)))
    return password


def list_users(admin_dsn: str) -> list[Login]:
    """People's logins with their group, by name."""
    with connect(admin_dsn) as conn:
        rows = conn.execute(
            "select m.rolname, g.rolname from pg_auth_members am"
            " join pg_roles m on m.oid = am.member join pg_roles g on g.oid = am.roleid"
            " where g.rolname = any(%s) and m.rolcanlogin and not (m.rolname = any(%s))"
            " order by 1, 2", (list(PERSON_ROLES), sorted(_RESERVED))).fetchall()
    return [Login(name, role) for name, role in rows]


def remove_user(admin_dsn: str, name: str) -> None:
    """Drop a person's login."""
    _check_name(name)
    if name not in {login.name for login in list_users(admin_dsn)}:
        raise UserError(f"no inspector or reporter login named {name!r}")
    with connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("drop role {}").format(sql.Identifier(name)))
