"""Marshmallow schemas of everything the platforms send to Kring."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from webhooks.errors import BadPayload

ID = validate.Length(min=1, max=64)


class SlashCommandSchema(Schema):
    """A Mattermost custom slash command request (form-encoded)."""

    class Meta:
        unknown = EXCLUDE

    token = fields.String(required=True, validate=validate.Length(min=1, max=256))
    channel_id = fields.String(required=True, validate=ID)
    user_id = fields.String(required=True, validate=ID)
    user_name = fields.String(load_default="", validate=validate.Length(max=128))
    team_id = fields.String(load_default=None, validate=ID)
    command = fields.String(load_default="/cop", validate=validate.Length(max=64))
    text = fields.String(load_default="", validate=validate.Length(max=4000))
    trigger_id = fields.String(load_default=None, validate=validate.Length(max=512))
    response_url = fields.URL(load_default=None, require_tld=False)
    channel_name = fields.String(load_default=None)
    team_domain = fields.String(load_default=None)


class OutgoingWebhookSchema(Schema):
    """A Mattermost outgoing webhook delivery (form or JSON): a post in a watched public channel."""

    class Meta:
        unknown = EXCLUDE

    token = fields.String(required=True, validate=validate.Length(min=1, max=256))
    team_id = fields.String(load_default=None)
    channel_id = fields.String(required=True, validate=ID)
    user_id = fields.String(required=True, validate=ID)
    user_name = fields.String(load_default="")
    post_id = fields.String(required=True, validate=ID)
    text = fields.String(load_default="", validate=validate.Length(max=20_000))
    trigger_word = fields.String(load_default=None)
    timestamp = fields.Raw(load_default=None)


class MattermostActionSchema(Schema):
    """A click on an interactive button (JSON)."""

    class Meta:
        unknown = EXCLUDE

    user_id = fields.String(required=True, validate=ID)
    user_name = fields.String(load_default="")
    channel_id = fields.String(required=True, validate=ID)
    post_id = fields.String(load_default=None)
    trigger_id = fields.String(load_default=None)
    context = fields.Dict(required=True)


class MattermostDialogSchema(Schema):
    """An interactive dialog submission (JSON)."""

    class Meta:
        unknown = EXCLUDE

    type = fields.String(load_default="dialog_submission")
    callback_id = fields.String(load_default="")
    state = fields.String(required=True, validate=validate.Length(max=8000))
    user_id = fields.String(required=True, validate=ID)
    channel_id = fields.String(required=True, validate=ID)
    submission = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), load_default=dict)
    cancelled = fields.Boolean(load_default=False)


class DiscourseHeadersSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    event_id = fields.String(required=True, data_key="X-Discourse-Event-Id",
                             validate=validate.Length(min=1, max=128))
    event = fields.String(required=True, data_key="X-Discourse-Event", validate=validate.Length(min=1, max=64))
    event_type = fields.String(load_default=None, data_key="X-Discourse-Event-Type")
    instance = fields.String(load_default=None, data_key="X-Discourse-Instance")


class DiscoursePostSchema(Schema):
    """The part of a Discourse ``post`` webhook body Kring uses."""

    class Meta:
        unknown = EXCLUDE

    id = fields.Integer(required=True)
    topic_id = fields.Integer(required=True)
    category_id = fields.Integer(load_default=None)
    raw = fields.String(load_default="", validate=validate.Length(max=100_000))
    username = fields.String(required=True, validate=validate.Length(min=1, max=128))
    user_id = fields.Integer(required=True)
    post_number = fields.Integer(load_default=None)


def load(schema: Schema, data: Any, what: str) -> dict[str, Any]:
    """Validate ``data``; a failure becomes a 400 that names every bad field."""
    try:
        result: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        problems = exc.normalized_messages()  # type: ignore[no-untyped-call]
        fields_ = {str(k): [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in problems.items()}
        names = ", ".join(sorted(fields_))
        raise BadPayload(f"Invalid {what}: check {names}.", fields_) from exc
    return result
