"""/protokoll and the signatories' buttons: the minutes are stored and acknowledged; then their message goes to
the channel once per wording (keyed by the fingerprint), with the full minutes as files in its thread, and the
signatories and the secretariat get their DMs, each once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http.client import HTTPException
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.domain import Serial
from bot.core.errors import UserError
from bot.core.minutes.markdown import fingerprint
from bot.core.minutes.pdf import to_pdf
from bot.core.planner import Due, minutes_post_key
from bot.slack.blocks import Message, submitted_value
from bot.slack.views import problem
from bot.slack.views import protokoll as view
from bot.slack.views.common import clicked_case, clicked_meeting
from bot.usecases import bodies, protokoll
from bot.usecases.grammar import Asker
from bot.usecases.services import Services
from handlers.context import Context, Followup, Later, clicked_value, read_by, register_command, tell
from handlers.scheduled import direct_once, post_once

log = logging.getLogger(__name__)
COMMAND = protokoll.COMMAND
SLACK_TROUBLE = (SlackApiError, OSError, HTTPException)


def _names(ctx: Context, services: Services, client: WebClient, number: Serial) -> dict[str, str]:
    names = ctx.people.names_of(client, protokoll.people(services, number))
    protokoll.remember_names(services, number, names)
    return names


def publish(ctx: Context, client: WebClient, drafted: protokoll.Drafted) -> protokoll.Drafted | None:
    """The minutes' message and files in the channel, once for each wording: the minutes as posted (with the
    names Slack gave), or None if Slack refused or there is no channel."""
    services = ctx.installation.body(drafted.body_id)
    channel = drafted.channel
    if services is None or channel is None:
        return None
    number = drafted.minutes.meeting
    with services.in_body_language():  # the minutes follow the body's målform, whoever's click this follows
        drafted = protokoll.current(services, number, _names(ctx, services, client, number))
    minutes = drafted.minutes
    if minutes.locked:
        key = minutes_post_key(drafted.body_id, number, minutes.version)
    else:
        key = f"organ:{drafted.body_id}:meeting:{number}:minutes:{fingerprint(drafted.document)[:16]}"
    store = services.store
    if store.posts.was_sent(f"{key}:files"):
        return drafted
    with services.in_body_language():
        message = view.approved_post(drafted) if minutes.locked else view.draft_post(drafted)
        uploads = view.files(drafted, to_pdf(drafted.document))
    try:
        # a post made before a crash is found, not made again; its files, if they failed, go to the channel
        ts = None if store.posts.was_sent(key) else post_once(services, client, key, channel, message)
        client.files_upload_v2(channel=channel, thread_ts=ts, file_uploads=uploads)
    except SLACK_TROUBLE as error:
        log.warning("Protokollen for møte %s ble ikke lagt ut (%s)", number, error)
        return None
    store.posts.mark_sent(f"{key}:files", services.clock.now())
    return drafted


def _direct(services: Services, client: WebClient, key: str, user: str, message: Message) -> bool:
    try:
        direct_once(services, client, key, user, message)
    except SLACK_TROUBLE as error:
        log.warning("Melding til %s om protokollen kom ikke fram (%s)", user, error)
        return False
    return True


def follow_up(ctx: Context, client: WebClient, facts: protokoll.Facts, tell_them: Callable[[Message], None]) -> None:
    """What the channel and the DMs get after a step."""
    drafted = getattr(facts, "drafted", facts)
    if not isinstance(drafted, protokoll.Drafted):
        return
    services = ctx.installation.body(drafted.body_id)
    if services is None:
        return
    minutes = drafted.minutes
    base = f"organ:{drafted.body_id}:meeting:{minutes.meeting}:minutes:v{minutes.version}"
    delivered = True
    if isinstance(facts, protokoll.Sent):
        published = publish(ctx, client, drafted)
        delivered = published is not None
        fresh = published or protokoll.current(
            services, minutes.meeting, _names(ctx, services, client, minutes.meeting)
        )
        for user in facts.signatories:
            with read_by(ctx, user, services.body.language):  # a DM: in the signatory's own målform
                request = view.signatory_request(protokoll.Sent(fresh, facts.signatories))
            delivered = _direct(services, client, f"{base}:sign:{user}", user, request) and delivered
    elif isinstance(facts, protokoll.Remarked):
        for user in facts.secretariat:
            with read_by(ctx, user, services.body.language):
                told = view.remark_to_secretariat(facts)
            key = f"{base}:remark:{len(minutes.remarks)}:{user}"
            delivered = _direct(services, client, key, user, told) and delivered
    elif isinstance(facts, protokoll.Approval | protokoll.Drafted) and (
        facts.complete if isinstance(facts, protokoll.Approval) else facts.made
    ):
        delivered = publish(ctx, client, drafted) is not None
    if not delivered:
        tell_them(view.not_posted())


def _draft_when_ended(ctx: Context) -> Callable[[Services, Serial, str], None]:
    """A meeting ended: its draft minutes follow in the channel, made in the name of the one who ended it."""

    def draft(services: Services, meeting: Serial, by: str) -> None:
        try:
            drafted = protokoll.draft(services, by, meeting, {})
        except UserError as error:
            log.info("Møte %s: ingen protokoll laget (%s)", meeting, error)
            return
        publish(ctx, ctx.background.bulk_client, drafted)

    return draft


def _publish_approved(ctx: Context) -> Callable[[Services, Due], None]:
    """The ticker's job: approved minutes not yet in the channel (approved by a vote, or Slack was away)."""

    def job(services: Services, due: Due) -> None:
        meeting = Serial.parse(str(due.subject))
        if meeting is None:
            services.store.posts.mark_sent(due.key, services.clock.now())
            return
        publish(ctx, ctx.background.bulk_client, protokoll.current(services, meeting))

    return job


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation
    ctx.end_watchers.append(_draft_when_ended(ctx))
    ctx.due_jobs["minutes-approved"] = _publish_approved(ctx)
    register_case_form(app, ctx)
    quiet = (protokoll.Listing, protokoll.Edited, protokoll.Corrected)

    def answer(facts: protokoll.Facts) -> Message | Later:
        message = view.render(facts)
        if isinstance(facts, quiet) or (isinstance(facts, protokoll.Drafted) and not facts.made):
            return message
        done = facts

        def work(client: WebClient, followup: Followup) -> None:
            follow_up(ctx, client, done, followup.tell)

        return Later(work, ack=message, lane="bulk")

    register_command(app, ctx, protokoll.COMMAND, protokoll.USAGE, protokoll.parse, protokoll.run, answer)

    @app.action(view.APPROVE_MINUTES_ACTION)
    def approve_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Godkjenn protokollen] in a signatory's DM: acknowledged at once; the names are asked of Slack after."""
        ack()
        user_id = body["user"]["id"]
        value = clicked_value(body)
        carried, meeting, version = view.clicked_version(value)

        def work() -> None:
            client = ctx.background.bulk_client
            try:
                services = bodies.carried_or_here(installation, carried, Asker(user_id, None), protokoll.COMMAND)
                signed = protokoll.require_signatory(services, user_id, meeting)
                facts = protokoll.approve(services, user_id, signed, version, _names(ctx, services, client, signed))
            except UserError as error:
                tell(respond, problem(str(error)))
                return
            shown = view.render(facts)
            respond(**shown.as_kwargs(), replace_original=True)
            if facts.complete:
                follow_up(ctx, client, facts, lambda message: tell(respond, message))

        ctx.background.submit(work)

    @app.action(view.REMARK_MINUTES_ACTION)
    def remark_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        _carried, meeting, _version = view.clicked_version(clicked_value(body))
        ctx.tell_later(respond, view.how_to_remark(meeting))


def register_case_form(app: App, ctx: Context) -> None:
    """[Rediger sak] in the secretariat's answer: a form for the case's note and decision, saved as edits."""
    installation = ctx.installation

    @app.action(view.EDIT_CASE_ACTION)
    def edit_clicked(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        user_id, channel = body["user"]["id"], (body.get("channel") or {}).get("id")
        value = clicked_value(body)
        carried, case = clicked_case(value)
        meeting = clicked_meeting(value)[1]
        trigger = body.get("trigger_id")

        def open_form() -> None:
            try:
                services = bodies.carried_or_here(installation, carried, Asker(user_id, channel), protokoll.COMMAND)
                form = protokoll.case_form(services, user_id, meeting, case)
            except UserError as error:
                tell(respond, problem(str(error)))
                return
            try:
                ctx.background.prompt_client.views_open(trigger_id=trigger, view=view.case_modal(form, channel))
            except SLACK_TROUBLE as error:  # the trigger expired while Slack was slow
                log.warning("Kunne ikke åpne skjemaet for protokollen: %s", error)
                tell(respond, view.form_failed(form))

        ctx.background.prompt(open_form)

    @app.view(view.EDIT_CASE_VIEW)
    def case_saved(ack: Ack, body: dict[str, Any]) -> None:
        user_id, submitted = body["user"]["id"], body["view"]
        carried, meeting, case, channel = view.case_form_origin(submitted)
        note = submitted_value(submitted, "note") or ""
        decision = submitted_value(submitted, "decision")
        try:
            services = bodies.given(installation, carried, user_id)
            if meeting is None or case is None:
                raise UserError(protokoll.no_case())
            edited = protokoll.save_case_form(services, user_id, meeting, case, note, decision)
        except UserError as error:
            ack(response_action="errors", errors={error.field or "note": str(error)})
            return
        ack()
        message = view.case_saved(edited, case).as_kwargs()
        prompt = ctx.background.prompt_client
        if channel and not channel.startswith("D"):
            ctx.background.prompt(lambda: prompt.chat_postEphemeral(channel=channel, user=user_id, **message))
        else:
            ctx.background.prompt(lambda: prompt.chat_postMessage(channel=user_id, **message))
