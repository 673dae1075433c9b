"""Native (Discourse) poll tallies on polls, and the member group of a community.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_group", sa.String(length=100), nullable=True))

    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.add_column(sa.Column("platform_post_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("native_counts", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("native_voters", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("native_synced_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.drop_column("native_synced_at")
        batch_op.drop_column("native_voters")
        batch_op.drop_column("native_counts")
        batch_op.drop_column("platform_post_id")

    with op.batch_alter_table("community", schema=None) as batch_op:
        batch_op.drop_column("member_group")
