"""Kring's platform interface on Discourse: group = category, thread = topic."""

from __future__ import annotations

from plugin.platforms.base import OutboundPost, PostedMessage
from plugin.platforms.discourse.client import DiscourseClient
from plugin.storage.states import Platform

#: Title of the topic Kring opens when it must post to a category outside any thread.
GROUP_TOPIC_TITLE = "Kring"


class DiscourseAdapter:
    platform = Platform.DISCOURSE

    def __init__(self, client: DiscourseClient) -> None:
        self.client = client

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        if post.thread_id:
            created = self.client.create_post(post.text, topic_id=int(post.thread_id))
        else:
            first_line = post.text.strip().splitlines()[0].lstrip("# ").strip() if post.text.strip() else ""
            created = self.client.create_post(post.text, title=first_line[:200] or GROUP_TOPIC_TITLE,
                                              category=int(post.group_id))
        return PostedMessage(post_id=str(created["id"]), thread_id=str(created.get("topic_id") or "") or None)
