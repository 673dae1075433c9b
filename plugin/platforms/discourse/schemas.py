"""Marshmallow schemas of what Discourse sends to Kring."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate


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
    #: 1 for a regular post, 4 for a staff whisper.
    post_type = fields.Integer(load_default=1)
    #: Raised by every edit: with the post id it names what the body says, whatever the headers claim.
    version = fields.Integer(load_default=1)
    topic_archetype = fields.String(load_default="regular")
