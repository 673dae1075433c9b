"""Journal numbers without races: a counter per community and kind, and a unique (community, kind, number).

Entries that two writers numbered alike before this revision keep the first one's number (the oldest
entry); the others get the next free numbers, in the order they were written.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ENTRY_KINDS = ("signal", "domain", "canvas", "decision", "goal", "evaluation", "ambition", "tis", "coalition",
               "highlight", "log", "backcast", "experiment")


def _renumber_duplicates(connection: sa.Connection) -> None:
    rows = connection.execute(sa.text(
        "SELECT id, community_id, kind, number FROM journal_entry ORDER BY community_id, kind, id")).all()
    last: dict[tuple[int, str], int] = {}
    for row in rows:
        key = (row.community_id, row.kind)
        last[key] = max(last.get(key, 0), row.number)
    seen: set[tuple[int, str, int]] = set()
    for row in rows:
        key = (row.community_id, row.kind)
        if (*key, row.number) in seen:
            last[key] += 1
            connection.execute(sa.text("UPDATE journal_entry SET number = :number WHERE id = :id"),
                               {"number": last[key], "id": row.id})
            seen.add((*key, last[key]))
        else:
            seen.add((*key, row.number))


def upgrade() -> None:
    connection = op.get_bind()
    _renumber_duplicates(connection)
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_journal_number", ["community_id", "kind", "number"])
    op.create_table(
        "journal_counter",
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum(*ENTRY_KINDS, name="entrykind", native_enum=False, length=16), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("community_id", "kind"),
    )
    connection.execute(sa.text(
        "INSERT INTO journal_counter (community_id, kind, last_number) "
        "SELECT community_id, kind, MAX(number) FROM journal_entry GROUP BY community_id, kind"))


def downgrade() -> None:
    op.drop_table("journal_counter")
    with op.batch_alter_table("journal_entry", schema=None) as batch_op:
        batch_op.drop_constraint("uq_journal_number", type_="unique")
