"""Kring's platform interface on Mattermost: group = channel, thread = root post."""

from __future__ import annotations

from plugin.platforms.base import OutboundPost, PostedMessage
from plugin.platforms.mattermost.client import MattermostClient
from plugin.storage.states import Platform


class MattermostAdapter:
    platform = Platform.MATTERMOST

    def __init__(self, client: MattermostClient) -> None:
        self.client = client

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        # The key in the post's props marks it as Kring's own and lets an operator trace it.
        created = self.client.create_post(post.group_id, post.text, root_id=post.thread_id,
                                          props={"from_kring": True, "kring_key": idempotency_key})
        return PostedMessage(post_id=str(created["id"]), thread_id=created.get("root_id") or None)
