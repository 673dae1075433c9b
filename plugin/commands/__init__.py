"""The `/cop …` commands, platform-neutral: Mattermost slash commands and Discourse posts share them."""
