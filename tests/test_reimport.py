"""A notice read again, and a notice shown before it lands.

Re-importing updates the meeting without losing what was done in Slack since the last import: decisions,
votes, and the secretariat's edits (the importer is asked before an edit is overwritten). A notice sent by
DM is previewed, nothing stored, until [Importer]; `motebot import --dry-run` prints the same.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from typing import Any

from bot.core.domain import Case, Meeting, Serial
from bot.core.notices.reader import parse_notice, read_notice
from bot.core.reimport import ChangeKind, merge
from bot.usecases.innkalling import import_notices, preview
from tests.durable import db_bytes
from tests.processes import motebot
from tests.support import SEED, SEKRETARIAT, RunningBot

S = Serial(2020, 17), Serial(2020, 18), Serial(2020, 19)


def _meeting(*cases: Case, **fields: Any) -> Meeting:
    return Meeting(Serial(2020, 4), "Møte", date(2020, 7, 1), time(9), time(10, 30), cases=cases, **fields)


def _case(key: Serial, title: str, proposal: str | None = None, **fields: Any) -> Case:
    return Case(key, title, proposal=proposal, **fields)


# The merge, three ways: stored (with Slack's changes), base (what the last import read), read (the document now)


def test_what_slack_did_not_touch_follows_the_document() -> None:
    base = _meeting(_case(S[0], "Godkjenning", "Godkjennes."), _case(S[1], "Status"))
    read = _meeting(_case(S[0], "Godkjenning", "Styret godkjenner."), _case(S[1], "Status for arbeidet"))
    merged = merge(base, base, read)
    assert merged.meeting.cases == read.cases
    assert not merged.conflicts
    assert [(c.kind, c.field) for c in merged.changes] == [
        (ChangeKind.CHANGED, "proposal"),
        (ChangeKind.CHANGED, "title"),
    ]


def test_an_edit_made_in_slack_stays_and_is_a_conflict_only_when_the_document_changes_it_too() -> None:
    base = _meeting(_case(S[0], "Godkjenning", "Godkjennes."), _case(S[1], "Status", "Tas til orientering."))
    stored = replace(base, cases=(_case(S[0], "Godkjenning", "Godkjennes med endring."), base.cases[1]))
    same = merge(stored, base, base)  # the same document again: the edit stays, nothing to ask
    assert same.meeting.cases[0].proposal == "Godkjennes med endring." and not same.conflicts and not same.changes

    read = _meeting(_case(S[0], "Godkjenning", "Styret godkjenner."), _case(S[1], "Status", "Tas til orientering."))
    kept = merge(stored, base, read)
    assert kept.meeting.cases[0].proposal == "Godkjennes med endring."
    assert [(c.case and c.case.number, c.field) for c in kept.conflicts] == [(S[0], "proposal")]
    taken = merge(stored, base, read, overwrite=True)
    assert taken.meeting.cases[0].proposal == "Styret godkjenner."


def test_decisions_and_voted_cases_are_never_taken_away_by_a_document() -> None:
    base = _meeting(_case(S[0], "Godkjenning", "Godkjennes."), _case(S[1], "Status"), _case(S[2], "Eventuelt"))
    decided = replace(base.cases[0], decision="Godkjent.")
    stored = replace(base, cases=(decided, *base.cases[1:]))
    read = _meeting(_case(S[2], "Eventuelt"))  # 17/20 and 18/20 gone from the document
    merged = merge(stored, base, read, held=[S[1]])
    assert [c.number for c in merged.meeting.cases] == [S[0], S[1], S[2]]  # kept before the closing Eventuelt
    assert merged.meeting.case(S[0]) == decided
    assert {c.case.number for c in merged.changes if c.kind is ChangeKind.KEPT and c.case} == {S[0], S[1]}


def test_a_case_added_in_slack_stays_and_one_removed_in_slack_is_not_brought_back_unasked() -> None:
    base = _meeting(_case(S[0], "Godkjenning"), _case(S[1], "Status"))
    added = _case(Serial(2020, 20), "Budsjett")
    stored = replace(base, cases=(base.cases[0], added))  # 18/20 removed in Slack, 20/20 added
    merged = merge(stored, base, base)
    assert [c.number for c in merged.meeting.cases] == [S[0], Serial(2020, 20)]
    assert not merged.conflicts and not merged.changes
    changed = replace(base, cases=(base.cases[0], replace(base.cases[1], title="Status for arbeidet")))
    asked = merge(stored, base, changed)
    assert [c.number for c in asked.meeting.cases] == [S[0], Serial(2020, 20)]
    assert [(c.case and c.case.number, c.field) for c in asked.conflicts] == [(S[1], None)]
    restored = merge(stored, base, changed, overwrite=True).meeting.cases
    assert [c.number for c in restored] == [S[0], S[1], Serial(2020, 20)]


def test_minutes_give_a_decision_where_there_is_none() -> None:
    base = _meeting(_case(S[0], "Godkjenning", "Godkjennes."))
    minutes = _meeting(_case(S[0], "Godkjenning", "Godkjennes.", decision="Godkjent uten merknader."))
    merged = merge(base, base, minutes)
    assert merged.meeting.cases[0].decision == "Godkjent uten merknader."
    assert [c.kind for c in merged.changes] == [ChangeKind.DECIDED]


def test_cases_are_matched_by_their_number_as_written_not_by_key() -> None:
    """ "Sak 3" got another key when first imported (3/24 was taken): read again, it is the same case."""
    stored = _meeting(_case(Serial(2024, 12), "Budsjett", "Vedtas.", label="Sak 3"))
    read = _meeting(_case(Serial(2024, 3), "Budsjett 2025", "Vedtas.", label="Sak 3"))
    merged = merge(stored, stored, read)
    assert [(c.number, c.title, c.label) for c in merged.meeting.cases] == [
        (Serial(2024, 12), "Budsjett 2025", "Sak 3")
    ]


# Through the store and the use case


def test_reimporting_the_seed_after_an_edit_in_slack_keeps_the_edit_and_says_so(bot: RunningBot) -> None:
    services = bot.services
    seed = read_notice(SEED)
    import_notices(services, "test", [seed])  # the last import read this
    edited = replace(seed.meeting, cases=(replace(seed.meeting.cases[0], proposal="Godkjent med én endring."),
                                          *seed.meeting.cases[1:]))  # fmt: skip
    services.store.meetings.save([replace(edited, version=2)])
    again = seed.meeting.cases[0].proposal.replace("godkjenner", "vedtar")  # the notice's text changed too
    changed = replace(seed, meeting=replace(seed.meeting, cases=(replace(seed.meeting.cases[0], proposal=again),
                                                                  *seed.meeting.cases[1:])))  # fmt: skip
    before = db_bytes(bot.store)
    [reading] = preview(services, [changed])
    assert db_bytes(bot.store) == before  # a preview stores nothing
    assert [(c.case and str(c.case.number), c.field) for c in reading.conflicts] == [("17/20", "proposal")]

    kept = import_notices(services, "test", [changed])
    assert kept.meetings[0].cases[0].proposal == "Godkjent med én endring."
    taken = import_notices(services, "test", [changed], overwrite=True)
    assert taken.meetings[0].cases[0].proposal == again


def test_a_notice_without_a_meeting_number_lands_on_the_bodys_meeting_that_day(bot: RunningBot) -> None:
    services = bot.services
    planned = services.store.meetings.all()[-1]  # 17 September 2020, from the seed's plan
    seed = read_notice(SEED)
    numberless = replace(seed, meeting=replace(seed.meeting, number=Serial(2020, 0), day=planned.day), numbered=False)
    [reading] = preview(services, [numberless])
    assert reading.meeting.number == planned.number and reading.before == planned
    brand_new = replace(numberless, meeting=replace(numberless.meeting, day=date(2020, 11, 5)))
    assert preview(services, [brand_new])[0].meeting.number == Serial(2020, planned.number.seq + 1)
    later = replace(numberless, meeting=replace(numberless.meeting, day=date(2020, 12, 3)))
    both = [reading.meeting.number for reading in preview(services, [brand_new, later])]
    assert both == [Serial(2020, planned.number.seq + 1), Serial(2020, planned.number.seq + 2)]  # as importing gives


def test_a_case_number_another_meeting_uses_gets_a_free_key_and_keeps_its_label(bot: RunningBot) -> None:
    services = bot.services
    text = (
        SEED.read_text(encoding="utf-8").replace("Møte 4/20", "Møte 6/20").replace("1. juli 2020", "3. desember 2020")
    )
    other = parse_notice(text, "mote-6-20.md")  # the same case numbers 17/20–19/20, in another meeting
    imported = import_notices(services, "test", [other])
    cases = imported.meetings[0].cases
    assert [c.shown_number for c in cases] == ["17/20 (20/20)", "18/20 (21/20)", "19/20 (22/20)"]
    assert [written for written, _key in imported.readings[0].renumbered] == ["17/20", "18/20", "19/20"]
    again = import_notices(services, "test", [other])
    assert again.meetings[0].cases == cases and again.readings[0].unchanged  # matched by label, not renumbered again


# Over the real app: the DM preview


def _share(bot: RunningBot, data: bytes, event_id: str) -> dict[str, Any]:
    return bot.share_file(SEKRETARIAT, "innkalling.md", data, event_id=event_id)


def _buttons(posted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    blocks = json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]
    return {e["text"]["text"]: e for block in blocks if block["type"] == "actions" for e in block["elements"]}


def test_the_preview_shows_the_agenda_as_read_and_cancel_stores_nothing(empty_bot: RunningBot) -> None:
    bot = empty_bot
    before = db_bytes(bot.store)
    posted = _share(bot, SEED.read_bytes(), "EvPrev1")
    shown = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "*Møte 4/20* – Styringsgruppemøte for Akson" in shown and "onsdag 1. juli 2020 kl. 09.00–10.30" in shown
    assert "*17/20* 09.00 Godkjenning av innkalling og dagsorden _Godkjenning_" in shown
    assert "Et nytt møte." in shown
    assert list(_buttons(posted)) == ["Importer", "Avbryt"]
    assert db_bytes(bot.store) == before

    cancel = _buttons(posted)["Avbryt"]
    assert bot.click(SEKRETARIAT, cancel["action_id"], cancel["value"]).status == 200
    bot.settle()
    answer = bot.standin.calls_to("response_url")[-1].params
    assert answer["text"] == "Avbrutt. Ingenting ble importert." and answer["replace_original"] in (True, "true")
    assert db_bytes(bot.store) == before


def test_a_reimport_by_dm_asks_before_it_overwrites_an_edit(bot: RunningBot) -> None:
    seed = read_notice(SEED)
    import_notices(bot.services, "test", [seed])  # the last import read this
    first = seed.meeting.cases[0]
    bot.store.meetings.save([replace(seed.meeting, cases=(replace(first, title="Godkjenning av dagsorden"),
                                                          *seed.meeting.cases[1:]), version=2)])  # fmt: skip
    changed = SEED.read_text(encoding="utf-8").replace(
        "17/20\tGodkjenning av innkalling og dagsorden", "17/20\tGodkjenning av innkalling, dagsorden og protokoll"
    )
    posted = _share(bot, changed.encode(), "EvPrev2")
    shown = json.dumps(posted["blocks"], ensure_ascii=False)
    assert "Sak 17/20: tittel ble endret i Slack etter forrige import" in shown
    assert list(_buttons(posted)) == ["Importer", "Importer og overskriv", "Avbryt"]

    overwrite = _buttons(posted)["Importer og overskriv"]
    assert bot.click(SEKRETARIAT, overwrite["action_id"], overwrite["value"]).status == 200
    bot.settle()
    assert bot.store.meetings.get(Serial(2020, 4)).cases[0].title == "Godkjenning av innkalling, dagsorden og protokoll"


def test_dry_run_prints_the_preview_and_stores_nothing(tmp_path: Path) -> None:
    assert motebot("import", str(SEED), cwd=tmp_path).returncode == 0
    db = tmp_path / "motebot.json"
    first = db_bytes(db)
    changed = tmp_path / "innkalling.md"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("09.05\tOrientering", "09.10\tOrientering"), "utf-8")
    done = motebot("import", "--dry-run", str(changed), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Møte 4/20 – Styringsgruppemøte for Akson" in done.stdout
    assert "Oppdaterer møtet Møtebot har." in done.stdout and "Sak 18/20: tid endres" in done.stdout
    assert done.stdout.rstrip().endswith("Ingenting ble importert (--dry-run).")
    assert db_bytes(db) == first
