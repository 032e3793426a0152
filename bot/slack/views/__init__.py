"""What members read: each answer as a Message, in Norwegian, from domain objects."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.agenda import MAX_PROPOSAL, MAX_TITLE
from bot.core.domain import (
    AgendaChange,
    Case,
    CaseType,
    Choice,
    Deadline,
    Meeting,
    Role,
    Roster,
    Serial,
    Vote,
    VoteEvent,
    VoteState,
    WorkStream,
    next_meeting,
)
from bot.core.formatting import (
    clock_time,
    days_from_today,
    long_date,
    meeting_when,
    people_list,
    short_datetime,
    time_span,
)
from bot.slack import blocks
from bot.slack.blocks import Message, escape

SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")

AGENDA_HELP = (
    "*Slik bruker du /dagsorden*\n"
    "• `/dagsorden` – dagsordenen for neste møte\n"
    "• `/dagsorden 4/20` – dagsordenen for møte 4/20\n"
    "• `/dagsorden historikk 4/20` – hvem som har endret dagsordenen, og når\n"
    "• `/dagsorden hjelp` – denne hjelpen\n"
    "*For sekretariatet og lederen*\n"
    "• `/dagsorden ny` – skjema for en ny sak\n"
    "• `/dagsorden ny 4/20 10.00 Orientering Tittel på saken` – ny sak (klokkeslett kan sløyfes)\n"
    "• `/dagsorden endre 18/20 tittel|kl|type|forslag &lt;ny verdi&gt;`\n"
    "• `/dagsorden flytt 18/20 2` – flytt saken til plass 2\n"
    "• `/dagsorden fjern 18/20` – fjern saken (nummeret brukes ikke igjen)\n"
    "• Send innkallingen som fil (tekst eller Markdown) til Møtebot i en direktemelding for å importere den.\n"
    f"Sakstyper: {', '.join(kind.value for kind in CaseType)}."
)
NEW_CASE_ACTION = "agenda_new_case"
NEW_CASE_VIEW = "agenda_new_case_view"


def notice(text_mrkdwn: str) -> Message:
    """A short answer: one section, the same words as the fallback."""
    return Message(text=text_mrkdwn, blocks=[blocks.section(text_mrkdwn)])


def problem(text: str) -> Message:
    """A refusal or a mistake, from plain text that may carry what the member typed: escaped whole."""
    return notice(escape(text))


def _outcome_lines(summary: str, warnings: list[str]) -> str:
    lines = [f":white_check_mark: {escape(summary)}"]
    lines += [f":warning: {escape(warning)}" for warning in warnings]
    return "\n".join(lines)


def _case_text(case: Case) -> str:
    facts = [f"*Sak {case.number}*"]
    if case.start:
        facts.append(clock_time(case.start))
    if case.case_type:
        facts.append(f"_{case.case_type.value}_")
    lines = ["  ·  ".join(facts), escape(case.title)]
    if case.decision:
        lines.append(f"*Vedtak:* {escape(case.decision)}")
    elif case.proposal:
        lines.append(f"*Forslag til vedtak:* {escape(case.proposal)}")
    return "\n".join(lines)


def agenda(
    meeting: Meeting, *, ahead: bool, latest_instead: bool = False, can_edit: bool = False, lead: str = ""
) -> Message:
    """The agenda; rendered once per meeting version and viewer kind (meetings are immutable values)."""
    return _agenda(meeting, ahead, latest_instead, can_edit, lead)


@lru_cache(maxsize=512)
def _agenda(meeting: Meeting, ahead: bool, latest_instead: bool, can_edit: bool, lead: str) -> Message:
    """The agenda as the notice shows it: number, date and times, each case with its proposal or decision.

    `lead` (mrkdwn) goes first, such as the outcome of a change; `can_edit` adds the "Ny sak" button.
    """
    when = meeting_when(meeting) if meeting.start else f"{long_date(meeting.day)} · {meeting_time(meeting)}"
    place = meeting_place(meeting)
    about = "  ·  ".join(part for part in (f"*{when}*", place, escape(meeting.body or "")) if part)
    top: list[blocks.Block] = [blocks.section(lead)] if lead else []
    top += [blocks.header(f"Møte {meeting.number}: {meeting.title}"), blocks.section(about)]
    if meeting.cancelled:
        top.append(blocks.context(":x: *Møtet er avlyst.*"))
    elif latest_instead:
        top.append(blocks.context("Ingen møter er planlagt fremover. Dette er det siste møtet."))
    elif not ahead:
        top.append(blocks.context("Dette møtet er avholdt."))
    top.append(blocks.divider())
    bottom = [blocks.context(f"Møtet ferdig {clock_time(meeting.end)}")] if meeting.end else []
    bottom.append(blocks.context(f"Versjon {meeting.version} av dagsordenen"))
    if can_edit:
        bottom.append(blocks.actions(blocks.button("Ny sak", NEW_CASE_ACTION, str(meeting.number))))
    if meeting.cases:
        budget = blocks.MAX_BLOCKS_MESSAGE - len(top) - len(bottom)
        middle = blocks.pack_sections([_case_text(case) for case in meeting.cases], budget)
    else:
        middle = [blocks.section("_Ingen saker på dagsordenen ennå._")]
    count = len(meeting.cases)
    fallback = f"Dagsorden for møte {meeting.number}, {when}: {count} {'sak' if count == 1 else 'saker'}"
    fallback = f"{lead}\n{escape(fallback)}" if lead else escape(fallback)
    return Message(text=fallback, blocks=top + middle + bottom)


def changed(meeting: Meeting, summary: str, warnings: list[str], *, ahead: bool) -> Message:
    return agenda(meeting, ahead=ahead, can_edit=True, lead=_outcome_lines(summary, warnings))


def outcome(summary: str, warnings: list[str]) -> Message:
    return notice(_outcome_lines(summary, warnings))


def agenda_history(meeting: Meeting, changes: list[AgendaChange]) -> Message:
    lines = [f"*Historikk for dagsordenen til møte {meeting.number}* (nå versjon {meeting.version})"]
    lines += [_logged(c.at, c.actor, c.summary, lead=f"v{c.version} · ") for c in changes[-40:]]
    if len(lines) == 1:
        lines.append("_Ingen endringer er registrert._")
    return Message(text=f"Historikk for møte {meeting.number}", blocks=blocks.pack_sections(lines, 45))


def new_case_modal(meetings: list[Meeting], selected: Serial | None, channel_id: str | None) -> dict[str, Any]:
    """The friendly path to a new case: Slack's own pickers, so times and types cannot be mistyped."""
    options = [
        blocks.option(f"Møte {m.number} – {long_date(m.day)}", str(m.number))
        for m in sorted(meetings, key=lambda m: m.number, reverse=True)
    ]
    body = [
        blocks.input_block("meeting", "Møte", blocks.static_select(options, str(selected) if selected else None)),
        blocks.input_block("start", "Klokkeslett", blocks.timepicker(), optional=True),
        blocks.input_block(
            "type", "Sakstype", blocks.static_select([blocks.option(k.value, k.value) for k in CaseType])
        ),
        blocks.input_block("title", "Tittel", blocks.text_input(max_length=MAX_TITLE)),
        blocks.input_block(
            "proposal", "Forslag til vedtak", blocks.text_input(multiline=True, max_length=MAX_PROPOSAL), optional=True
        ),
    ]
    metadata = json.dumps({"channel": channel_id}) if channel_id else ""
    return blocks.modal(NEW_CASE_VIEW, "Ny sak", "Legg til", body, metadata)


def import_report(meetings: list[Meeting], warnings: list[str]) -> Message:
    lines = []
    for meeting in meetings:
        cases = ", ".join(str(case.number) for case in meeting.cases)
        lines.append(
            f":white_check_mark: Importerte *møte {meeting.number}* ({escape(meeting.title)}, "
            f"{meeting_when(meeting)}): {len(meeting.cases)} saker – {cases}. Versjon {meeting.version}."
        )
    lines += [f":warning: {escape(warning)}" for warning in warnings]
    return notice("\n".join(lines))


ROSTER_HELP = (
    "*Slik bruker du /medlemmer*\n"
    "• `/medlemmer` – styringsgruppen etter rolle\n"
    "• `/medlemmer leggtil @navn [@navn …] rolle` – rolle er leder, medlem, sekretariat eller observatør\n"
    "• `/medlemmer fjern @navn` – fjern fra gruppen\n"
    "Leder og medlemmer stemmer; sekretariat og observatører deltar uten stemmerett."
)
_ROLE_HEADINGS = {
    Role.LEDER: "Leder",
    Role.MEDLEM: "Medlemmer",
    Role.SEKRETARIAT: "Sekretariat",
    Role.OBSERVATOR: "Observatører (uten stemmerett)",
}


def mention(user_id: str) -> str:
    """A mention the bot builds itself, only from an ID that looks like one."""
    return f"<@{user_id}>" if SLACK_USER_ID.match(user_id) else escape(user_id)


def _logged(at: datetime, actor: str, what: str, lead: str = "") -> str:
    """One line of a history or a vote's record: when, who (a mention if it is a Slack ID), what."""
    return f"• {lead}{short_datetime(at)} · {mention(actor)} · {escape(what)}"


def roster(members: Roster) -> Message:
    lines = ["*Styringsgruppen*"]
    for role, heading in _ROLE_HEADINGS.items():
        users = sorted(user for user, roles in members.roles.items() if role in roles)
        lines.append(f"*{heading}:* " + (", ".join(mention(u) for u in users) if users else "_ingen_"))
    return Message(text="Styringsgruppen", blocks=blocks.pack_sections(lines, 45))


VOTE_ACTIONS = {Choice.FOR: "vote_for", Choice.MOT: "vote_mot", Choice.AVSTAR: "vote_avstar"}
VOTE_LABELS = {Choice.FOR: "Godkjenn", Choice.MOT: "Ikke godkjenn", Choice.AVSTAR: "Avstår"}
VOTE_CLOSE_ACTION = "vote_close"
VOTE_RESTART_ACTION = "vote_restart"


def _counts(vote: Vote) -> str:
    tally = vote.tally()
    return (
        f"*For:* {tally.for_}   *Mot:* {tally.mot}   *Avstår:* {tally.avstar}   ·   "
        f"{tally.voted} av {tally.electorate} har stemt"
    )


def _result(vote: Vote) -> str:
    tally = vote.tally()
    if vote.state is VoteState.SUPERSEDED:
        return ":arrows_counterclockwise: *Erstattet av en ny avstemning.* Stemmene her teller ikke."
    if vote.state is VoteState.CANCELLED:
        return ":x: *Avbrutt.*"
    if not tally.quorum:
        need = (tally.electorate + 1) // 2
        return (
            f":x: *Ikke vedtaksfør:* bare {tally.voted} av {tally.electorate} stemmeberettigede deltok "
            f"(minst {need} trengs). Ingen vedtak ble fattet."
        )
    if tally.adopted:
        return f":white_check_mark: *Vedtatt:* {escape(vote.proposal)}"
    return ":x: *Ikke vedtatt:* forslaget fikk ikke flertall."


def vote_message(vote: Vote, case_title: str, stale: str | None) -> Message:
    """The vote as the channel sees it, open or closed; the buttons carry the vote's number."""
    body: list[blocks.Block] = [
        blocks.header(f"Avstemning: Sak {vote.case} {case_title}"),
        blocks.section(f"*Forslag til vedtak:* {escape(vote.proposal)}"),
    ]
    when = f"{long_date(vote.closes_at.date())} kl. {clock_time(vote.closes_at.time())}"
    if vote.is_open:
        body.append(blocks.context(
            f"Møte {vote.meeting} · dagsorden versjon {vote.agenda_version} · "
            f"stenges automatisk når møtet begynner, {when}"
        ))  # fmt: skip
        body.append(blocks.section(_counts(vote)))
        waiting = vote.not_voted()
        if waiting:
            shown = ", ".join(mention(u) for u in waiting[:40])
            more = f" og {len(waiting) - 40} til" if len(waiting) > 40 else ""
            body.append(blocks.context(f"Har ikke stemt: {shown}{more}"))
        if stale:
            body.append(blocks.section(f":warning: {escape(stale)} Lederen kan starte avstemningen på nytt."))
        buttons = [blocks.button(VOTE_LABELS[c], VOTE_ACTIONS[c], str(vote.id)) for c in Choice]
        buttons[0]["style"], buttons[1]["style"] = "primary", "danger"
        buttons.append(blocks.button("Avslutt avstemning", VOTE_CLOSE_ACTION, str(vote.id)))
        if stale:
            buttons.append(blocks.button("Start på nytt", VOTE_RESTART_ACTION, str(vote.id)))
        body.append(blocks.actions(*buttons, block_id=f"vote-{vote.id}"))
        text = f"Avstemning om sak {vote.case}: {escape(vote.proposal)}"
    else:
        body.append(blocks.section(_result(vote)))
        body.append(blocks.section(_counts(vote)))
        closed = short_datetime(vote.closed_at) if vote.closed_at else ""
        body.append(blocks.context(f"Møte {vote.meeting} · avsluttet {closed}"))
        text = f"Avstemning om sak {vote.case} er avsluttet"
    return Message(text=text, blocks=body)


def vote_record(vote: Vote, events: list[VoteEvent]) -> Message:
    """The record for the minutes: every opening, ballot and closing, with who and when."""
    lines = [f"*Protokoll for avstemning {vote.id} (sak {vote.case}, {vote.state.value})*", _counts(vote)]
    lines += [_logged(event.at, event.actor, event.action) for event in events[-200:]]
    return Message(text=f"Protokoll for avstemning {vote.id}", blocks=blocks.pack_sections(lines, 45))


DEADLINES_HELP = (
    "*Slik bruker du /frister*\n"
    "• `/frister` – åpne frister, den nærmeste først\n"
    "• `/frister alle` – også passerte og ferdige\n"
    "*For sekretariatet og lederen*\n"
    "• `/frister ny 03.07.2020 [09.00] Notat til HOD @Kari` – datoen kan også skrives 3.7.2020, "
    "3. juli 2020 eller 2020-07-03. Et ansvarlig organ skrives til slutt: `ansvar: Direktoratet for e-helse`\n"
    "• `/frister utsett 3 1.11.2020 [12.00]` – ny dato; den gamle huskes\n"
    "• `/frister ferdig 3` – oppgaven er gjort"
)
STATUS_HELP = (
    "*Slik bruker du /status*\n"
    "• `/status` – status for hvert arbeidsområde\n"
    "• `/status historikk 2` – alle oppdateringer for område 2\n"
    "• `/status oppdater 2 Nå har 80 prosent signert` – ny status (sekretariatet og lederen)"
)


def responsible(deadline: Deadline) -> str:
    """The people (as mentions the bot builds) and the body responsible."""
    parts = [mention(user) for user in deadline.users]
    if deadline.body:
        parts.append(escape(deadline.body))
    return people_list(parts)


def deadline_due(deadline: Deadline) -> str:
    when = long_date(deadline.due)
    return f"{when} kl. {clock_time(deadline.due_time)}" if deadline.due_time else when


def _deadline_line(deadline: Deadline, today: date) -> str:
    state = "ferdig" if not deadline.is_open else days_from_today(deadline.due, today)
    line = f"*{deadline.id}.* {escape(deadline.what)} – *{deadline_due(deadline)}* ({state})"
    if deadline.earlier:
        line += " · utsatt fra " + ", ".join(long_date(day).split(" ", 1)[1] for day in deadline.earlier)
    elif deadline.postponed:
        line += " · utsatt frist"
    who = responsible(deadline)
    if who:
        line += f"\n      Ansvar: {who}"
    if deadline.case:
        line += f" · sak {deadline.case}"
    return line


def deadline_list(deadlines: list[Deadline], today: date, *, everything: bool) -> Message:
    shown = sorted(
        (d for d in deadlines if everything or (d.is_open and d.due >= today)),
        key=lambda d: (d.due, d.due_time or time(0), d.id),
    )
    title = "Alle frister" if everything else "Åpne frister"
    if not shown:
        empty = "Ingen frister er registrert." if everything else "Ingen åpne frister fremover."
        return notice(f"*{title}*\n{empty} `/frister alle` viser også passerte og ferdige.")
    lines = [f"*{title}*", *(_deadline_line(d, today) for d in shown)]
    return Message(text=f"{title}: {len(shown)}", blocks=blocks.pack_sections(lines, 45))


def deadline_reminder(deadline: Deadline, today: date, *, late_from: datetime | None = None) -> Message:
    """'Påminnelse: … fristen er fredag 3. juli 2020 (i morgen)', mentioning those responsible."""
    who = responsible(deadline)
    text = (
        f":alarm_clock: *Påminnelse:* {escape(deadline.what)} – fristen er {deadline_due(deadline)} "
        f"({days_from_today(deadline.due, today)})."
    )
    if who:
        text += f"\nAnsvar: {who}"
    if deadline.earlier:
        text += f"\n_Utsatt fra {long_date(deadline.earlier[-1])}._"
    if late_from is not None:
        text += f"\n_Påminnelsen kommer for sent; den skulle ha vært sendt {short_datetime(late_from)}._"
    return notice(text)


def status_list(streams: list[WorkStream]) -> Message:
    if not streams:
        return notice("Ingen arbeidsområder er registrert ennå. De kommer med innkallingen («Status for arbeidet»).")
    lines = ["*Status for arbeidet*"]
    for stream in streams:
        latest = stream.latest
        status = escape(latest.text) if latest else "_ingen status ennå_"
        changed = f" _(endret {short_datetime(latest.at)})_" if latest else ""
        lines.append(f"*{stream.number}. {escape(stream.title)}*\n{status}{changed}")
    return Message(text="Status for arbeidet", blocks=blocks.pack_sections(lines, 45))


def status_history(stream: WorkStream) -> Message:
    lines = [f"*Historikk for {stream.number}. {escape(stream.title)}*"]
    lines += [_logged(update.at, update.actor, update.text) for update in stream.updates[-100:]]
    return Message(text=f"Historikk for {escape(stream.title)}", blocks=blocks.pack_sections(lines, 45))


MEETING_PLAN_HELP = (
    "*Slik bruker du /moteplan*\n"
    "• `/moteplan` – kommende møter\n"
    "• `/moteplan alle` – også avholdte og avlyste møter\n"
    "• `/moteplan ical` – møteplanen som kalenderfil i kanalen\n"
    "*For sekretariatet og lederen*\n"
    "• `/moteplan ny 17.09.2020 09.00-11.00 Styringsgruppemøte` – nytt web-møte "
    "(`sted: Oslo` til slutt for et fysisk møte); det får de faste sakene\n"
    "• `/moteplan flytt 5/20 24.09.2020 09.00-11.00` – ny dato og tid (kanalen får beskjed)\n"
    "• `/moteplan avlys 5/20` – avlys møtet (alle får beskjed)"
)
OPEN_APPROVAL_ACTION = "meeting_open_approval_vote"


def meeting_time(meeting: Meeting) -> str:
    """'kl. 09.00–11.00', or '2 timer' while the plan gives only a length."""
    if meeting.start:
        return time_span(meeting.start, meeting.end)
    if meeting.duration:
        hours = meeting.duration.total_seconds() / 3600
        return f"{hours:g} timer".replace(".", ",") if hours != 1 else "1 time"
    return "tid ikke satt"


def meeting_place(meeting: Meeting) -> str:
    """'Web-møte', the place, or '' when the notice does not say."""
    return "Web-møte" if meeting.web else (escape(meeting.location) if meeting.location else "")


def meeting_plan(meetings: list[Meeting], now: datetime, *, everything: bool) -> Message:
    tz = now.tzinfo
    assert isinstance(tz, ZoneInfo)
    shown = sorted(
        (m for m in meetings if everything or (not m.cancelled and m.ends_at(tz) >= now)),
        key=lambda m: m.starts_at(tz),
    )
    title = "Møteplan – alle møter" if everything else "Møteplan"
    if not shown:
        return notice(f"*{title}*\nIngen kommende møter. `/moteplan alle` viser også avholdte møter.")
    lines = [f"*{title}*"]
    for m in shown:
        parts = (f"*Møte {m.number}*", long_date(m.day), meeting_time(m), meeting_place(m), escape(m.title))
        line = " · ".join(part for part in parts if part)
        if m.cancelled:
            line = f"~{line}~ *AVLYST*"
        elif m.ends_at(tz) < now:
            line += " _(avholdt)_"
        lines.append(line)
    return Message(text=title, blocks=blocks.pack_sections(lines, 45))


def meeting_notice(
    meeting: Meeting, deadlines: list[Deadline], now: datetime, *, late_from: datetime | None, can_vote_open: bool
) -> Message:
    """The notice before a meeting: when, where, the agenda in short, deadlines before it, and the vote button."""
    when = " ".join(part for part in (long_date(meeting.day), meeting_time(meeting)) if part)
    lead = f":calendar: *Møte {meeting.number}* er {days_from_today(meeting.day, now.date())}: *{when}*"
    if place := meeting_place(meeting):
        lead += f" · {place}"
    body: list[blocks.Block] = [blocks.header(f"Møte {meeting.number}: {meeting.title}"), blocks.section(lead)]
    if meeting.cases:
        agenda_lines = [
            f"• {case.number}" + (f" {clock_time(case.start)}" if case.start else "") + f" – {escape(case.title)}"
            for case in meeting.cases[:30]
        ]
        if len(meeting.cases) > 30:
            agenda_lines.append(f"• … og {len(meeting.cases) - 30} saker til (`/dagsorden {meeting.number}`)")
        body.append(blocks.section("*Dagsorden*\n" + "\n".join(agenda_lines)))
    else:
        body.append(blocks.section("_Dagsordenen er ikke satt opp ennå._"))
    before = sorted((d for d in deadlines if d.is_open and now.date() <= d.due <= meeting.day), key=lambda d: d.due)
    if before:
        lines = [f"• {escape(d.what)} – {deadline_due(d)}" for d in before[:20]]
        body.append(blocks.section("*Frister før møtet*\n" + "\n".join(lines)))
    if late_from is not None:
        body.append(blocks.context(f"Varselet kommer for sent; det skulle ha vært sendt {short_datetime(late_from)}."))
    if can_vote_open:
        body.append(
            blocks.actions(blocks.button("Start avstemning om dagsordenen", OPEN_APPROVAL_ACTION, str(meeting.number)))
        )
    return Message(text=escape(f"Møte {meeting.number} {when}"), blocks=body)


def meeting_cancelled(meeting: Meeting) -> Message:
    when = " · ".join(part for part in (long_date(meeting.day), meeting_time(meeting)) if part)
    text = f":x: *Møte {meeting.number} ({escape(meeting.title)}) {when} er avlyst.*"
    return Message(text=f"Møte {meeting.number} {when} er avlyst", blocks=[blocks.section(text)])


MAX_BLOCKS_VIEW = 100


def home(
    meetings: list[Meeting], deadlines: list[Deadline], votes: list[Vote], now: datetime, *, can_edit: bool
) -> dict[str, Any]:
    """The App Home tab: the next meeting and its agenda, open deadlines, open votes, the plan."""
    upcoming, ahead = next_meeting(meetings, now)
    body: list[blocks.Block] = [blocks.header("Møtebot – styringsgruppen")]
    if upcoming is not None and ahead:
        when = meeting_when(upcoming) if upcoming.start else f"{long_date(upcoming.day)} · {meeting_time(upcoming)}"
        lines = [
            f"*Neste møte: møte {upcoming.number}, {when}*" + (f" · {p}" if (p := meeting_place(upcoming)) else "")
        ]
        for case in upcoming.cases[:25]:
            start = f"{clock_time(case.start)} " if case.start else ""
            decided = f"\n      _Vedtak: {escape(case.decision)}_" if case.decision else ""
            lines.append(f"• *{case.number}* {start}{escape(case.title)}{decided}")
        if not upcoming.cases:
            lines.append("_Dagsordenen er ikke satt opp ennå._")
        body += blocks.pack_sections(lines, 20)
    else:
        body.append(blocks.section("_Ingen kommende møter._"))
    body.append(blocks.divider())
    open_deadlines = sorted((d for d in deadlines if d.is_open and d.due >= now.date()), key=lambda d: d.due)
    lines = ["*Åpne frister*"] + [
        f"• {escape(d.what)} – {deadline_due(d)} ({days_from_today(d.due, now.date())})" for d in open_deadlines[:15]
    ]
    if len(lines) == 1:
        lines.append("_Ingen åpne frister._")
    body += blocks.pack_sections(lines, 15)
    body.append(blocks.divider())
    lines = ["*Åpne avstemninger*"]
    for vote in votes:
        tally = vote.tally()
        lines.append(
            f"• Sak {vote.case}: {escape(vote.proposal)} – for {tally.for_}, mot {tally.mot}, "
            f"avstår {tally.avstar} ({tally.voted} av {tally.electorate} har stemt)"
        )
    if len(lines) == 1:
        lines.append("_Ingen åpne avstemninger._")
    body += blocks.pack_sections(lines, 15)
    body.append(blocks.divider())
    plan = meeting_plan(meetings, now, everything=False)
    body += plan.blocks[:20]
    if can_edit:
        body.append(
            blocks.context("Du kan endre dagsorden, frister og møteplan. Skriv `/dagsorden hjelp` for kommandoene.")
        )
    return {"type": "home", "blocks": body[:MAX_BLOCKS_VIEW]}


def meeting_moved(meeting: Meeting) -> Message:
    when = " · ".join(part for part in (long_date(meeting.day), meeting_time(meeting)) if part)
    text = f":calendar: *Møte {meeting.number} ({escape(meeting.title)}) er flyttet til {when}.*"
    return Message(text=f"Møte {meeting.number} er flyttet til {when}", blocks=[blocks.section(text)])
