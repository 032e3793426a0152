"""The meeting world as plain values and pure rules: no Slack, no TinyDB, no storage, no clock of its own."""
