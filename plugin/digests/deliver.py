"""Sending one digest delivery: render the archived content for its channel and send it."""

from __future__ import annotations

from typing import Any

from plugin.channels import email, webhook
from plugin.digests.charts import all_charts
from plugin.digests.content import DigestContent
from plugin.digests.render import period_label, render
from plugin.errors import DeliveryError
from plugin.platforms.base import Attachment, OutboundPost
from plugin.runtime import Runtime
from plugin.storage.models import Community, Digest


def _load(runtime: Runtime, digest_id: int) -> tuple[Digest, Community]:
    with runtime.database.session() as session:
        digest = session.get(Digest, digest_id)
        if digest is None:
            raise DeliveryError(f"digest {digest_id} no longer exists")
        community = session.get_one(Community, digest.community_id)
        session.expunge_all()
        return digest, community


def send_digest(runtime: Runtime, payload: dict[str, Any], key: str) -> dict[str, Any]:
    digest, community = _load(runtime, int(payload["digest"]))
    content = DigestContent.from_dict(digest.content)
    channel, to = payload["channel"], str(payload["to"])
    config = runtime.config
    if channel in ("post", "direct"):
        client = runtime.outbound(community.platform)
        charts = all_charts(content)
        direct = channel == "direct"
        post = OutboundPost(community.external_group_id, render(content, charts).markdown, community_id=community.id,
                            to_user_id=to if direct and not to.startswith("@") else None,
                            to_username=payload.get("username") if direct else None,
                            attachments=tuple(Attachment.of(f"{name}.png", "image/png", png)
                                              for name, png in charts.items()))
        return {"post_id": client.post(post, key).post_id}
    if channel == "email":
        if not config.smtp_url:
            raise DeliveryError("KRING_SMTP_URL is not set: e-mailed digests cannot be sent")
        charts = all_charts(content)
        content_ids = {name: f"{name}.{key.replace(':', '.')}@kring" for name in charts}
        rendered = render(content, charts, image_source=lambda name, _png: f"cid:{content_ids[name]}")
        message = email.compose(config.smtp_from, to, rendered.subject, rendered.text, rendered.html,
                                {name: (content_ids[name], png) for name, png in charts.items()})
        email.send(config.smtp_url, message, config.http_timeout)
        return {"email": to}
    if channel == "webhook":
        rendered = render(content, {})
        status = webhook.send(to, "digest", {
            "community": community.name, "audience": digest.audience, "period": period_label(content),
            "subject": rendered.subject, "markdown": rendered.markdown, "text": rendered.text,
            "content": digest.content}, webhook.webhook_secret(config.secret_key, community.id, to), key,
            config.http_timeout, config.webhook_allowed_hosts)
        return {"status": status}
    raise DeliveryError(f"unknown digest channel {channel!r}")
