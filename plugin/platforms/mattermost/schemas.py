"""Marshmallow schemas of what Mattermost sends to Kring."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

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
    #: As long as a post may be (the connector answers a longer one with a message of its own).
    text = fields.String(load_default="")
    trigger_id = fields.String(load_default=None, validate=validate.Length(max=512))
    #: Not used by Kring, so not validated: a SiteURL such as `http://mm_app:8065` is common with docker.
    response_url = fields.String(load_default=None)
    root_id = fields.String(load_default=None)
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
