"""Delivery channels besides the platforms: e-mail over SMTP and signed outgoing webhooks."""
