"""Credentials stored by `kring install` are sealed with KRING_SECRET_KEY (and so need wider columns).

Sealing needs the key, which `kring db upgrade` hands over; a database with stored credentials cannot
be migrated without it (and a downgrade opens them again with it).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import context, op

from plugin.sealing import Sealer, is_sealed

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

COLUMNS = ("command_token", "bot_token", "webhook_secret")
installation = sa.table("installation", sa.column("id", sa.Integer), *(sa.column(c, sa.Text) for c in COLUMNS))


def _rewrite(change: Callable[[Sealer, str], str], needs_change: Callable[[str], bool], direction: str
             ) -> Callable[[], None]:
    """Check first (before any schema change: SQLite cannot roll DDL back), then return the rewrite."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(installation)).mappings().all()
    due = [row for row in rows if any(row[c] and needs_change(row[c]) for c in COLUMNS)]
    sealer = context.config.attributes.get("sealer")
    if due and sealer is None:
        raise RuntimeError(f"stored credentials must be {direction} with KRING_SECRET_KEY: run `kring db upgrade`")

    def rewrite() -> None:
        for row in due:
            assert sealer is not None  # checked above
            connection.execute(installation.update().where(installation.c.id == row["id"]).values(
                {c: change(sealer, row[c]) for c in COLUMNS if row[c] and needs_change(row[c])}))
    return rewrite


def upgrade() -> None:
    seal = _rewrite(Sealer.seal, lambda value: not is_sealed(value), "sealed")
    with op.batch_alter_table("installation", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.alter_column(column, existing_type=sa.String(length=200), type_=sa.Text(), existing_nullable=True)
    seal()


def downgrade() -> None:
    _rewrite(Sealer.open, is_sealed, "opened")()
    with op.batch_alter_table("installation", schema=None) as batch_op:
        for column in COLUMNS:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length=200), existing_nullable=True)
