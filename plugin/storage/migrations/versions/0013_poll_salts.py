"""Anonymous polls even the operator cannot de-anonymise: a salt per open poll, participation apart.

Before this revision an anonymous ballot was keyed by HMAC(KRING_SECRET_KEY, poll and member), which
whoever holds the database and the key can recompute. Closed anonymous polls keep their counts (in
their results) and lose their ballots; open ones get a random salt and their ballots are keyed
again with it, which needs KRING_SECRET_KEY (`kring db upgrade` hands it over) to find whose each
ballot was. Who voted is recorded apart, without what.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, time

import sqlalchemy as sa
from alembic import context, op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def _legacy_key(secret_key: str, poll_id: int, member_id: int) -> str:
    digest = hmac.new(secret_key.encode(), f"poll:{poll_id}:member:{member_id}".encode(), hashlib.sha256)
    return "anon-" + digest.hexdigest()[:40]


def _salted_key(salt: str, member_id: int) -> str:
    return "anon-" + hmac.new(bytes.fromhex(salt), f"member:{member_id}".encode(), hashlib.sha256).hexdigest()[:40]


def upgrade() -> None:
    connection = op.get_bind()
    polls = connection.execute(sa.text("SELECT id, anonymous, status, voters, opened_at FROM poll")).mappings().all()
    votes = connection.execute(sa.text("SELECT id, poll_id, voter FROM vote")).mappings().all()
    open_anonymous = [p for p in polls if p["anonymous"] and p["status"] == "open"]
    secret_key = context.config.attributes.get("secret_key")
    if any(v["poll_id"] in {p["id"] for p in open_anonymous} for v in votes) and not secret_key:
        raise RuntimeError("open anonymous polls have ballots keyed with KRING_SECRET_KEY: run `kring db upgrade`")
    op.add_column("poll", sa.Column("salt", sa.String(length=64), nullable=True))
    op.create_table(
        "poll_participation",
        sa.Column("poll_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["poll_id"], ["poll.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("poll_id", "member_id"),
    )
    participated: set[tuple[int, int]] = set()
    for poll in polls:
        ballots = [v for v in votes if v["poll_id"] == poll["id"]]
        if not poll["anonymous"]:
            participated |= {(poll["id"], int(v["voter"])) for v in ballots if str(v["voter"]).isdigit()}
        elif poll["status"] != "open":
            connection.execute(sa.text("DELETE FROM vote WHERE poll_id = :poll"), {"poll": poll["id"]})
        else:
            _salt_open_poll(connection, poll, ballots, str(secret_key or ""), participated)
    for poll_id, member_id in sorted(participated):
        connection.execute(sa.text("INSERT INTO poll_participation (poll_id, member_id) VALUES (:poll, :member)"),
                           {"poll": poll_id, "member": member_id})


def _salt_open_poll(connection: sa.Connection, poll: sa.RowMapping, ballots: list[sa.RowMapping], secret_key: str,
                    participated: set[tuple[int, int]]) -> None:
    salt = secrets.token_hex(32)
    connection.execute(sa.text("UPDATE poll SET salt = :salt WHERE id = :poll"), {"salt": salt, "poll": poll["id"]})
    by_key = {v["voter"]: v["id"] for v in ballots}
    opened = poll["opened_at"] if isinstance(poll["opened_at"], datetime) else datetime.fromisoformat(
        str(poll["opened_at"]))
    day = datetime.combine(opened.date(), time(), tzinfo=UTC)
    voters = poll["voters"] if isinstance(poll["voters"], list) else json.loads(poll["voters"])
    for member_id in voters:
        ballot = by_key.get(_legacy_key(secret_key, poll["id"], int(member_id)))
        if ballot is not None:
            connection.execute(sa.text("UPDATE vote SET voter = :voter, cast_at = :day WHERE id = :id"),
                               {"voter": _salted_key(salt, int(member_id)), "day": day, "id": ballot})
            participated.add((poll["id"], int(member_id)))


def downgrade() -> None:
    op.drop_table("poll_participation")
    with op.batch_alter_table("poll", schema=None) as batch_op:
        batch_op.drop_column("salt")
