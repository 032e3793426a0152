"""A notice sent by DM from someone who may change several bodies: which body is it for? And a plan headed
with another body's name goes into that body's plan. Over the real Bolt app, with the stand-in as Slack."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.core.domain import Role, Serial
from bot.core.notices.reader import read_notice
from bot.core.rules import Body
from bot.slack.views.innkalling import IMPORT_INTO_ACTION
from storage import TinyStore
from tests.durable import db_bytes
from tests.processes import motebot
from tests.support import ADMIN, LEDER, MEDLEM, SEED, SEKRETARIAT, STRANGER, RunningBot

AKSON = "Styringsgruppen for Akson"


def _body(bot: RunningBot, name: str, short_name: str, channel: str, roles: dict[str, list[Role]]) -> Body:
    """Another body, and who is in it."""
    body = bot.installation.store.bodies.create(Body(0, name, short_name, channel=channel))
    for user, user_roles in roles.items():
        bot.installation.store.body(body.id).roster.set_roles(user, user_roles)
    return body


def _akson(bot: RunningBot) -> Body:
    """The tests' body (C0STYRING), called what the seed's heading calls it."""
    body = replace(bot.services.body, name=AKSON, short_name="akson")
    bot.installation.store.bodies.save(body)
    return body


def _send(bot: RunningBot, user: str, event_id: str, data: bytes | None = None) -> None:
    """The seed sent to Møtebot in a direct message, as Slack delivers it (file_share)."""
    bot.share_file(user, "innkalling.md", SEED.read_bytes() if data is None else data, event_id=event_id)


def _posted(bot: RunningBot) -> dict[str, Any]:
    posted = bot.standin.calls_to("chat.postMessage")[-1].params
    assert posted["channel"].startswith("D")  # the sender's direct message with Møtebot
    return posted


def _buttons(posted: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = json.loads(posted["blocks"]) if isinstance(posted["blocks"], str) else posted["blocks"]
    return [element for block in blocks if block["type"] == "actions" for element in block["elements"]]


def _click(bot: RunningBot, user: str, button: dict[str, Any]) -> dict[str, Any]:
    assert bot.click(user, button["action_id"], button["value"]).status == 200
    bot.settle()
    return bot.standin.calls_to("response_url")[-1].params


def _meetings(bot: RunningBot, body: Body) -> list[tuple[str, date]]:
    return [(str(m.number), m.day) for m in bot.installation.store.body(body.id).meetings.all()]


def _downloads(bot: RunningBot) -> int:
    return len(bot.standin.calls_to("file_download"))


def test_a_secretary_of_two_bodies_is_asked_which_and_the_click_imports_into_that_body_only(
    empty_bot: RunningBot,
) -> None:
    bot = empty_bot
    akson = _akson(bot)
    helsenett = _body(bot, "Styringsgruppen for Helsenett", "helsenett", "C0HNETT", {SEKRETARIAT: [Role.SEKRETARIAT]})
    _send(bot, SEKRETARIAT, "EvAsk1")

    question = _posted(bot)
    assert question["text"].startswith("Jeg har lest innkallingen.")
    shown = json.dumps(question["blocks"], ensure_ascii=False)
    assert "Forhåndsvisningen gjelder *Styringsgruppen for Akson*, som overskriften nevner." in shown
    first, second, cancel = _buttons(question)
    assert first["text"]["text"] == "Importer i Styringsgruppen for Akson"
    assert first["style"] == "primary"
    assert second["text"]["text"] == "Importer i Styringsgruppen for Helsenett" and "style" not in second
    assert cancel["text"]["text"] == "Avbryt"
    assert json.loads(first["value"]) == {"files": ["F0NOTICE1"], "body": akson.id}
    assert "Ingenting blir importert før du har valgt." in json.dumps(question["blocks"], ensure_ascii=False)
    assert _meetings(bot, akson) == [] and _meetings(bot, helsenett) == []  # read, nothing stored
    assert _downloads(bot) == 1

    answer = _click(bot, SEKRETARIAT, first)
    assert answer["replace_original"] in (True, "true")
    assert answer["text"].startswith("Lagt inn i *Styringsgruppen for Akson*:")
    assert (
        "Importerte *møte 4/20* (Styringsgruppemøte for Akson, onsdag 1. juli 2020 kl. 09.00–10.30)" in answer["text"]
    )
    assert bot.standin.calls_to("files.info")[-1].params["file"] == "F0NOTICE1"  # fetched again
    assert _downloads(bot) == 2
    assert bot.installation.store.body(akson.id).meetings.get(Serial(2020, 4)) == read_notice(SEED).meeting
    assert _meetings(bot, akson) == [("4/20", date(2020, 7, 1)), ("5/20", date(2020, 9, 17))]  # and its plan
    assert _meetings(bot, helsenett) == []


def test_the_plan_headed_with_e_helsestyre_goes_into_e_helsestyre(empty_bot: RunningBot) -> None:
    bot = empty_bot
    akson = _akson(bot)
    ehelse = _body(bot, "Nasjonalt e-helsestyre", "e-helsestyre", "C0EHELSE", {SEKRETARIAT: [Role.SEKRETARIAT]})
    _send(bot, SEKRETARIAT, "EvPlan1")

    first, second, _cancel = _buttons(_posted(bot))
    assert first["text"]["text"] == "Importer i Styringsgruppen for Akson"
    assert second["text"]["text"] == "Importer i Nasjonalt e-helsestyre"
    answer = _click(bot, SEKRETARIAT, first)
    assert "Møteplanen for Nasjonalt e-helsestyre ble lagt i det organet." in answer["text"]
    assert _meetings(bot, akson) == [("4/20", date(2020, 7, 1))]
    assert _meetings(bot, ehelse) == [("1/20", date(2020, 9, 17))]  # numbered in e-helsestyre's own series
    planned = bot.installation.store.body(ehelse.id).meetings.all()[0]
    assert (planned.title, planned.web, planned.duration and planned.duration.seconds) == (
        "Nasjonalt e-helsestyre", True, 2 * 3600,
    )  # fmt: skip


def test_a_click_on_a_body_the_clicker_does_not_manage_is_refused_and_changes_nothing(
    empty_bot: RunningBot,
) -> None:
    bot = empty_bot
    _akson(bot)
    helsenett = _body(bot, "Styringsgruppen for Helsenett", "helsenett", "C0HNETT", {SEKRETARIAT: [Role.SEKRETARIAT]})
    _send(bot, SEKRETARIAT, "EvRefuse1")
    _first, second, _cancel = _buttons(_posted(bot))
    bot.installation.store.body(helsenett.id).roster.set_roles(SEKRETARIAT, [Role.MEDLEM])  # since the question
    before, downloads = db_bytes(bot.store), _downloads(bot)

    # Someone not in Helsenett at all clicks its button.
    assert _click(bot, MEDLEM, second)["text"].startswith("Bare medlemmene av Styringsgruppen for Helsenett")
    # The secretary, only a member there by now.
    refused = _click(bot, SEKRETARIAT, second)
    assert refused["text"].startswith("Bare lederen, nestlederen, sekretariatet og administratorene kan importere")
    assert refused["replace_original"] in (False, "false")  # the question stays: another body may be chosen
    assert db_bytes(bot.store) == before
    assert _downloads(bot) == downloads  # nothing fetched for a refusal

    # A button that carries no choice.
    assert bot.click(SEKRETARIAT, f"{IMPORT_INTO_ACTION}:1", "nonsense").status == 200
    bot.settle()
    assert bot.standin.calls_to("response_url")[-1].params["text"].startswith("Knappen virker ikke lenger.")
    assert db_bytes(bot.store) == before


def test_one_who_manages_one_body_of_several_sees_the_preview_and_imports_with_one_button(
    empty_bot: RunningBot,
) -> None:
    bot = empty_bot
    akson = _akson(bot)
    ehelse = _body(bot, "Nasjonalt e-helsestyre", "e-helsestyre", "C0EHELSE", {LEDER: [Role.MEDLEM]})
    _send(bot, LEDER, "EvOne1")

    importer, cancel = _buttons(_posted(bot))
    assert (importer["text"]["text"], cancel["text"]["text"]) == ("Importer", "Avbryt")
    assert "Forhåndsvisningen" not in json.dumps(_posted(bot)["blocks"], ensure_ascii=False)
    posted = _click(bot, LEDER, importer)
    assert "Importerte *møte 4/20*" in posted["text"]
    # e-helsestyre is theirs to read, not to change: its plan stays with the notice, as before bodies.
    assert _meetings(bot, akson) == [("4/20", date(2020, 7, 1)), ("5/20", date(2020, 9, 17))]
    assert _meetings(bot, ehelse) == []
    assert "Møteplanen for" not in posted["text"]


def test_an_administrator_chooses_among_every_body_and_a_stranger_is_told_how_to_start(empty_bot: RunningBot) -> None:
    bot = empty_bot
    _akson(bot)
    _body(bot, "Nasjonalt e-helsestyre", "e-helsestyre", "C0EHELSE", {})
    _send(bot, ADMIN, "EvAdmin1")
    labels = [button["text"]["text"] for button in _buttons(_posted(bot))]
    assert labels == ["Importer i Styringsgruppen for Akson", "Importer i Nasjonalt e-helsestyre", "Avbryt"]

    downloads = _downloads(bot)
    _send(bot, STRANGER, "EvStranger1")
    assert _posted(bot)["text"].startswith("Du er ikke med i noe organ i Møtebot ennå.")
    assert _downloads(bot) == downloads


def test_no_guess_from_a_heading_that_names_no_body_the_buttons_in_name_order(empty_bot: RunningBot) -> None:
    bot = empty_bot
    _akson(bot)
    _body(bot, "Arbeidsutvalget", "au", "C0AU", {SEKRETARIAT: [Role.SEKRETARIAT]})
    other = SEED.read_bytes().replace("Styringsgruppemøte for Akson".encode(), b"Dialogmote om journal")
    other = other.replace("Møteplan Nasjonalt e-helsestyre".encode(), "Møteplan".encode())
    _send(bot, SEKRETARIAT, "EvNoGuess1", other)
    buttons = _buttons(_posted(bot))
    labels = [button["text"]["text"] for button in buttons]
    assert labels == ["Importer i Arbeidsutvalget", "Importer i Styringsgruppen for Akson", "Avbryt"]
    assert all("style" not in button for button in buttons)


def test_a_file_that_is_no_notice_is_answered_before_any_question(empty_bot: RunningBot) -> None:
    bot = empty_bot
    _akson(bot)
    _body(bot, "Arbeidsutvalget", "au", "C0AU", {SEKRETARIAT: [Role.SEKRETARIAT]})
    _send(bot, SEKRETARIAT, "EvJunk1", b"melk og egg")
    posted = _posted(bot)
    assert "innkalling.md: ikke en møteinnkalling" in posted["text"] and "Ingenting ble importert" in posted["text"]
    assert not _buttons(posted)


@pytest.fixture
def two_bodies(tmp_path: Path) -> Path:
    """A database with Akson and e-helsestyre, as `motebot import` finds it."""
    store = TinyStore(tmp_path / "motebot.json")
    store.bodies.create(Body(0, AKSON, "akson", channel="C0STYRING"))
    store.bodies.create(Body(0, "Nasjonalt e-helsestyre", "e-helsestyre", channel="C0EHELSE"))
    store.close()
    return tmp_path


def test_the_command_line_goes_by_the_heading_when_there_are_several_bodies(two_bodies: Path) -> None:
    done = motebot("import", str(SEED), cwd=two_bodies)
    assert done.returncode == 0, done.stderr
    assert "Organ: Styringsgruppen for Akson (ut fra overskriften;" in done.stdout
    assert "Møteplanen for Nasjonalt e-helsestyre ble lagt i det organet." in done.stdout
    store = TinyStore(two_bodies / "motebot.json")
    assert [str(m.number) for m in store.body(1).meetings.all()] == ["4/20"]
    assert [(str(m.number), m.day) for m in store.body(2).meetings.all()] == [("1/20", date(2020, 9, 17))]
    store.close()

    nameless = two_bodies / "uten-overskrift.md"
    nameless.write_text(
        "Møte 2/21\n10. mars 2021\n5/21\tGodkjenning av innkalling og dagsorden\t12.00\tGodkjenning\n", encoding="utf-8"
    )
    refused = motebot("import", str(nameless), cwd=two_bodies)
    assert refused.returncode != 0
    assert "overskriften i innkallingen sier ikke hvilket" in refused.stderr and "akson, e-helsestyre" in refused.stderr
    assert motebot("import", "--organ", "e-helsestyre", str(nameless), cwd=two_bodies).returncode == 0
