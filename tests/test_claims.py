"""Posts.claim on both engines: of several claimants one posts; a failed try leaves the next to look first,
from the time of the first try (issue 21: exactly once across crashes and processes)."""

from __future__ import annotations

import threading
from datetime import timedelta

from storage.protocol import Claimed
from tests.support import RunningBot


def test_of_threads_claiming_at_once_one_posts(bot: RunningBot) -> None:
    posts, now = bot.store.posts, bot.clock.now()
    claims, start = [], threading.Barrier(8)

    def claim() -> None:
        start.wait()
        claims.append(posts.claim("organ:1:test:once", now).state)

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(c.value for c in claims) == ["free"] + ["taken"] * 7
    posts.mark_sent("organ:1:test:once", now)
    assert posts.claim("organ:1:test:once", now).state is Claimed.DONE


def test_a_failed_try_is_looked_for_from_the_first_try_on(bot: RunningBot) -> None:
    posts, first = bot.store.posts, bot.clock.now()
    assert posts.claim("organ:1:test:retry", first).state is Claimed.FREE
    posts.release("organ:1:test:retry")  # the post failed (it may have reached Slack)
    for minutes in (1, 3, 7):
        again = posts.claim("organ:1:test:retry", first + timedelta(minutes=minutes))
        assert (again.state, again.since) == (Claimed.STALE, first)
        posts.release("organ:1:test:retry")
    assert not posts.was_sent("organ:1:test:retry")
