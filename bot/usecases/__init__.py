"""One module per command, named as the command is: each checks permission once and returns facts. No Slack."""
