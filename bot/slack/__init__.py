"""Slack's side of the bot: Block Kit views, what enters from Slack (bodies, signatures, replays), the server."""
