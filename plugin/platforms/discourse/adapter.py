"""Kring's platform interface on Discourse: group = category, thread = topic, DM = private message."""

from __future__ import annotations

from plugin.platforms.base import OutboundPost, PostedMessage
from plugin.platforms.discourse.client import DiscourseClient
from plugin.storage.states import Platform

#: Discourse needs a title for a new topic or private message; this one is used when none is given.
DEFAULT_TITLE = "Kring"


def _title(post: OutboundPost) -> str:
    if post.title:
        return post.title[:200]
    lines = post.text.strip().splitlines()
    first = lines[0].lstrip("# ").strip() if lines else ""
    return first[:200] or DEFAULT_TITLE


class DiscourseAdapter:
    platform = Platform.DISCOURSE

    def __init__(self, client: DiscourseClient) -> None:
        self.client = client

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        if post.to_username:
            created = self.client.create_post(post.text, title=_title(post), private_to=post.to_username)
        elif post.thread_id:
            created = self.client.create_post(post.text, topic_id=int(post.thread_id))
        else:
            created = self.client.create_post(post.text, title=_title(post), category=int(post.group_id))
        return PostedMessage(post_id=str(created["id"]), thread_id=str(created.get("topic_id") or "") or None)
