"""Polls say whether the forum shows them itself (a Discourse poll block; all did there before).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("poll", sa.Column("native", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE poll SET native = TRUE WHERE community_id IN "
               "(SELECT id FROM community WHERE platform = 'discourse')")


def downgrade() -> None:
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.drop_column("native")
