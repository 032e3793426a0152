"""The web pages of Slack's install flow (`/slack/install`, `/slack/oauth_redirect`), as the one installing
Møtebot in a workspace reads them: in bokmål or nynorsk, by what their browser asks for (Accept-Language).

Plain HTML, escaped with html.escape (this is HTML, not mrkdwn), and no script: the page only links on.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from bot.core.i18n import N_, _, language

# Why an installation was not made, by the reason Bolt's flow gives (slack_bolt.oauth.oauth_flow).
REASONS = {
    "access_denied": N_("The installation was cancelled in Slack: nothing was installed."),
    "invalid_browser": N_(
        "The installation must end in the browser it began in, and the page's address must begin with https://. "
        "Start again from the installation page."
    ),
    "invalid_state": N_("The installation link has expired (it lasts ten minutes). Start again."),
    "missing_code": N_("Slack did not confirm the installation. Start again."),
    "invalid_code": N_("Slack did not confirm the installation. Start again."),
    "storage_error": N_(
        "Møtebot could not save the installation. Try again in a while, or tell whoever runs Møtebot for you."
    ),
}
OTHER_REASON = N_(
    "Slack did not allow the installation (it said «{reason}»). Start again, or tell whoever runs Møtebot."
)


def reader_language(accept_language: str | None) -> str:
    """Nynorsk if the browser asks for it before bokmål (or plain Norwegian), else bokmål."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("nn"):
            return "nn"
        if tag.startswith(("nb", "no")):
            return "nb"
    return "nb"


def _page(code: str, title: str, *paragraphs: str) -> str:
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<link rel="icon" href="data:,">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;"
        "line-height:1.5}a.button{display:inline-block;padding:.6rem 1.2rem;border-radius:.3rem;"
        "background:#4a154b;color:#fff;text-decoration:none}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n{body}\n</body>\n</html>\n"
    )


def _link(href: str, text: str, *, button: bool = False) -> str:
    kind = ' class="button"' if button else ""
    return f'<a{kind} href="{html.escape(href)}">{html.escape(text)}</a>'


def install_page(authorize_url: str, accept_language: str | None) -> str:
    """Where an installation begins: what Møtebot is, and the way on to Slack."""
    code = reader_language(accept_language)
    with language(code):
        return _page(
            code,
            _("Install Møtebot in Slack"),
            html.escape(_("Møtebot runs the meetings of your bodies in Slack: agendas, votes, deadlines and minutes.")),
            _link(authorize_url, _("Add to Slack"), button=True),
        )


def success_page(team_name: str | None, app_id: str | None, team_id: str | None, accept_language: str | None) -> str:
    """After Slack's confirmation: it is installed, and what to do first."""
    code = reader_language(accept_language)
    with language(code):
        where = (
            _("Møtebot is installed in {workspace}.", workspace=team_name) if team_name else _("Møtebot is installed.")
        )
        first = _(
            "You are Møtebot's administrator in this workspace. Next: in the channel of a body, type "
            "/motebot opprett and the name of the body."
        )
        paragraphs = [html.escape(where), html.escape(first)]
        if app_id and team_id:
            link = f"slack://app?team={quote(team_id)}&id={quote(app_id)}"
            paragraphs.append(_link(link, _("Open Slack"), button=True))
        return _page(code, _("Møtebot is installed"), *paragraphs)


def failure_page(reason: str, install_path: str, accept_language: str | None) -> str:
    """Why the installation was not made, and where to start again."""
    code = reader_language(accept_language)
    with language(code):
        said = _(REASONS[reason]) if reason in REASONS else _(OTHER_REASON, reason=reason)
        again = _link(install_path, _("Start the installation again"))
        return _page(code, _("Møtebot was not installed"), html.escape(said), again)
