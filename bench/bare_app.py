"""The baseline: a bare Bolt app on the same server shape as `motebot serve` (waitress, 8 threads).

    python bench/bare_app.py PORT [--process-before-response]

It answers /dagsorden and /frister with a fixed text and acks a button click: the least any Bolt
app can do here, with Bolt's default ack path or with process_before_response.
"""

from __future__ import annotations

import os
import sys

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from waitress import serve


def main() -> None:
    port = int(sys.argv[1])
    client = WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response="--process-before-response" in sys.argv,
    )

    @app.command("/dagsorden")
    @app.command("/frister")
    def answer(ack):  # type: ignore[no-untyped-def]
        ack(text="ok")

    @app.action("vote_for")
    def click(ack):  # type: ignore[no-untyped-def]
        ack()

    print("lytter", flush=True)
    serve(SlackRequestHandler(app), host="127.0.0.1", port=port, threads=8, _quiet=True)


if __name__ == "__main__":
    main()
