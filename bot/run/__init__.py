"""Putting it together and running it: settings, the Bolt app's assembly, the ticker, the CLI and the console."""
