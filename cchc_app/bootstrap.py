"""The idempotent bootstrap of the warehouse: the one step that knows every stage."""
from __future__ import annotations

from cchc import marts_lock
from cchc.settings import STAGE_ROLES
from cchc.warehouse import BOOTSTRAP_APP, connect, create_layout, grant
from expectations import store
from ingest import land
from reports import editions

#: Each stage owns the DDL of its schema; bootstrap applies them in dependency order.
_STAGE_SCHEMAS = (land.ensure_schema, store.ensure_schema, editions.ensure_schema,
                  marts_lock.ensure_schema)


def bootstrap(dsn: str) -> None:
    """Create schemas, roles and logins, every stage's own tables, then grants; idempotent.

    `dsn` is an administrator's (a superuser, or a role with CREATEROLE owning the
    database): the only connection of a run that is not a stage's own login.
    """
    # Named, so that pg_stat_activity tells the administrator's connections of a run apart.
    with connect(dsn, application_name=BOOTSTRAP_APP) as conn:
        create_layout(conn, STAGE_ROLES.values())
        for ensure_schema in _STAGE_SCHEMAS:
            ensure_schema(conn)
        grant(conn)
