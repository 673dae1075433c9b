"""Kring's platform interface on Mattermost: group = channel, thread = root post, DM = direct channel."""

from __future__ import annotations

from plugin.platforms.base import OutboundPost, PostedMessage
from plugin.platforms.mattermost.client import MattermostClient
from plugin.storage.states import Platform


class MattermostAdapter:
    platform = Platform.MATTERMOST

    def __init__(self, client: MattermostClient) -> None:
        self.client = client
        self._bot_user_id: str | None = None

    def post(self, post: OutboundPost, idempotency_key: str) -> PostedMessage:
        channel = post.group_id
        if post.to_user_id:
            channel = str(self.client.direct_channel([self._bot_id(), post.to_user_id])["id"])
        message = f"#### {post.title}\n{post.text}" if post.opens_thread and post.title else post.text
        # The key in the post's props marks it as Kring's own and lets an operator trace it.
        created = self.client.create_post(channel, message, root_id=post.thread_id,
                                          props={"from_kring": True, "kring_key": idempotency_key})
        return PostedMessage(post_id=str(created["id"]), thread_id=created.get("root_id") or None)

    def _bot_id(self) -> str:
        if self._bot_user_id is None:
            self._bot_user_id = str(self.client.me()["id"])
        return self._bot_user_id
