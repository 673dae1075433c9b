"""Destructive admin actions wait for a confirmation and an undo window.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planned_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=128), nullable=False),
        sa.Column("status", sa.Enum("asked", "confirmed", "done", "undone", name="plannedstatus",
                                    native_enum=False, length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("planned_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_planned_action_community_id"), ["community_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("planned_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_planned_action_community_id"))
    op.drop_table("planned_action")
