"""/dagsorden: read the agenda; for the secretariat, build it (commands, the "Ny sak" modal and its button)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context.respond import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import UserError
from bot.core.i18n import _, current_language
from bot.slack.blocks import Message, submitted_value
from bot.slack.views import dagsorden as view
from bot.slack.views.common import clicked_case, clicked_meeting, problem
from bot.usecases import bodies, dagsorden
from bot.usecases.grammar import Asker
from handlers.context import Context, Followup, Later, answer_in_place, clicked_value, register_command

log = logging.getLogger(__name__)

COMMAND = dagsorden.COMMAND


def _open_form(client: WebClient, followup: Followup, form: dagsorden.Form) -> None:
    """The modal opens after the ack; if Slack will not open it, the member hears how to add the case in text."""
    try:
        client.views_open(
            trigger_id=followup.trigger_id,
            view=view.new_case_modal(form.meetings, form.selected, form.channel, form.body),
        )
    except (SlackApiError, OSError) as error:  # e.g. the trigger expired while Slack was slow
        log.warning("Kunne ikke åpne skjemaet for ny sak: %s", error)
        followup.tell(view.form_failed())


def register(app: App, ctx: Context) -> None:
    installation = ctx.installation

    def after_change(facts: dagsorden.Changed) -> None:
        """The meeting's open votes may now be stale, and must say so."""
        services = installation.body(facts.body)
        if services is not None:
            ctx.vote_messages.refresh_meeting_later(services, facts.meeting.number)

    def answer(facts: dagsorden.Facts) -> Message | Later:
        if isinstance(facts, dagsorden.Form):
            return Later(lambda client, followup: _open_form(client, followup, facts))
        if isinstance(facts, dagsorden.Changed):
            after_change(facts)
        if isinstance(facts, dagsorden.Agenda):  # rendered once per version of the store and kind of viewer
            key = (
                "dagsorden", facts.version, facts.body, facts.meeting.number, facts.ahead, facts.latest_instead,
                facts.can_edit, facts.elected,
            )  # fmt: skip
            return ctx.rendered.rendered((*key, current_language()), lambda: view.render(facts))
        return view.render(facts)

    register_command(app, ctx, dagsorden.COMMAND, dagsorden.USAGE, dagsorden.parse, dagsorden.run, answer)

    @app.action(view.NEW_CASE_ACTION)
    def new_case_button(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        asker = Asker(body["user"]["id"], (body.get("channel") or {}).get("id"))
        followup = Followup(asker, body["trigger_id"], respond)
        carried, selected = clicked_meeting(clicked_value(body))

        def open_form() -> None:
            try:
                services = bodies.carried_or_here(installation, carried, asker, dagsorden.COMMAND)
                form = dagsorden.new_case_form(services, asker, selected)
            except UserError as error:
                followup.tell(problem(str(error)))
                return
            _open_form(ctx.background.prompt_client, followup, form)

        ctx.background.prompt(open_form)

    @app.action(view.REMOVE_CASE_ACTION)
    def removal_confirmed(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Ja, fjern saken]: removed now, if the clicker still may and the case still stands where it stood;
        the agenda as it is now takes the question's place."""
        ack()
        asker = Asker(body["user"]["id"], (body.get("channel") or {}).get("id"))
        value = clicked_value(body)
        (carried, case), (_same, meeting) = clicked_case(value), clicked_meeting(value)

        def remove() -> Message:
            if case is None:
                raise UserError(_("That button no longer works. Write the command again."))
            services = bodies.given(installation, carried, asker.user)
            facts = dagsorden.remove_confirmed(services, asker, case, meeting)
            after_change(facts)
            return view.changed(facts)

        answer_in_place(ctx, respond, remove)

    @app.action(view.KEEP_CASE_ACTION)
    def removal_declined(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        """[Nei]: nothing changes; the question gives way to saying so."""
        ack()
        _carried, case = clicked_case(clicked_value(body))
        if case is not None:
            kept = view.kept(case)
            answer_in_place(ctx, respond, lambda: kept)

    @app.view(view.NEW_CASE_VIEW)
    def new_case_submitted(ack: Ack, body: dict[str, Any]) -> None:
        user_id, submitted = body["user"]["id"], body["view"]
        values = {name: submitted_value(submitted, name) for name in ("meeting", "start", "type", "title", "proposal")}
        command = dagsorden.parse_form(
            values["meeting"], values["start"], values["type"], values["title"], values["proposal"]
        )
        if isinstance(command, dagsorden.FormMistakes):
            ack(response_action="errors", errors=command.by_input)
            return
        channel, carried = view.form_origin(submitted)
        try:
            services = bodies.given(installation, carried, user_id)
            facts = dagsorden.add_case(services, Asker(user_id, channel), command)
        except UserError as error:
            ack(response_action="errors", errors={error.field or "meeting": str(error)})
            return
        ack()
        after_change(facts)
        message = view.confirmation(facts).as_kwargs()
        prompt = ctx.background.prompt_client
        if channel:
            ctx.background.prompt(lambda: prompt.chat_postEphemeral(channel=channel, user=user_id, **message))
        else:
            ctx.background.prompt(lambda: prompt.chat_postMessage(channel=user_id, **message))
