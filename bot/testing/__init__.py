"""Tools for the tests and the console, never for production code: the loopback Slack stand-in."""
