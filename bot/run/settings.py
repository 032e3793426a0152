"""Configuration from the environment and `.env`, checked once at start-up."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as PydanticSettingsError

from bot.core.clock import Clock
from bot.core.dates import parse_duration, parse_offsets
from bot.core.rules import GroupRules
from bot.core.rules import StandingItem as StandingRule
from bot.usecases.motebot import configured_channel, name_unnamed
from bot.usecases.services import Installation, Wakeup
from storage.protocol import StoreP

_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_WORKSPACE_USER_ID = re.compile(r"^[TE][A-Z0-9]{2,}/[UW][A-Z0-9]{2,}$")  # an administrator of one workspace
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")


class SettingsError(Exception):
    """One line for the operator, naming the variable; never a traceback, never a secret."""


def _require_prefix(value: SecretStr | None, prefix: str) -> SecretStr | None:
    if value is not None and not value.get_secret_value().startswith(prefix):
        raise ValueError(f"må begynne med «{prefix}»")
    return value


class StandingItem(BaseModel):
    """A case every meeting made in Slack starts (or ends) with."""

    title: str
    type: str | None = None
    proposal: str | None = None
    last: bool = False


DEFAULT_STANDING_ITEMS = [
    StandingItem(
        title="Godkjenning av innkalling og dagsorden",
        type="Godkjenning",
        proposal="Styringsgruppen godkjenner innkalling og dagsorden.",
    ),
    StandingItem(title="Eventuelt", last=True),
]


class Settings(BaseSettings):
    """Field names are the variable names in lower case, so errors can name the variable."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,
        case_sensitive=False,
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    # Many workspaces, each installed through Slack's OAuth flow (`motebot serve`: /slack/install): the app's
    # Client ID and Client Secret from Basic Information. Needs MOTEBOT_DATABASE_URL; no SLACK_BOT_TOKEN then.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    motebot_db: Path = Path("motebot.json")
    # postgresql://…: the records in PostgreSQL (storage/postgres) instead of the file MOTEBOT_DB; a secret, as
    # it may hold a password. MOTEBOT_WORKSPACE: whose records they are there, with one workspace (a Slack team ID).
    motebot_database_url: SecretStr | None = None
    motebot_workspace: str = ""
    motebot_timezone: str = "Europe/Oslo"
    motebot_channel: str | None = None
    motebot_body_name: str = "Styringsgruppen"  # the name of the body MOTEBOT_CHANNEL makes, if it makes one
    motebot_admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    motebot_vote_reminder: str = "1d"
    motebot_deadline_pings: str = "7d,1d,0d"
    motebot_meeting_notices: str = "7d,1d,1h"
    motebot_standing_items: list[StandingItem] = Field(default_factory=lambda: list(DEFAULT_STANDING_ITEMS))
    motebot_public_url: str | None = None  # where `motebot serve` is reached: the calendar feeds' links

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _require_prefix(value, "xoxb-")

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().strip()) < 8:
            raise ValueError("er tom eller for kort; kopier «Signing Secret» fra appens Basic Information")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        return _require_prefix(value, "xapp-")

    @field_validator("slack_client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[0-9]+\.[0-9]+$", value.strip()):
            raise ValueError("må være appens Client ID fra Basic Information, som 1234567890.1234567890")
        return value.strip() if value is not None else None

    @field_validator("slack_client_secret")
    @classmethod
    def _client_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value().strip()) < 8:
            raise ValueError("er tom eller for kort; kopier «Client Secret» fra appens Basic Information")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", value):
            raise ValueError("må være en adresse som https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("motebot_database_url")
    @classmethod
    def _database_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.match(r"^postgres(ql)?://", value.get_secret_value()):
            raise ValueError("må være en PostgreSQL-adresse som postgresql://motebot@localhost/motebot")
        return value

    @field_validator("motebot_public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        """The links are pasted into calendars and shown in Slack: an address and a path, nothing more."""
        if value is None or not value.strip():
            return None
        if not re.match(r"^https?://[A-Za-z0-9.-]+(:\d+)?(/[A-Za-z0-9._~%/-]*)?$", value.strip()):
            raise ValueError("må være adressen boten nås på utenfra, som https://motebot.example.no")
        return value.strip().rstrip("/")

    @field_validator("motebot_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"ukjent tidssone «{value}» (for eksempel Europe/Oslo)") from None
        return value

    @field_validator("motebot_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is not None and not _CHANNEL_ID.match(value):
            raise ValueError("må være en kanal-ID som C0123ABCD (høyreklikk kanalen → Kopier lenke)")
        return value

    @field_validator("motebot_vote_reminder")
    @classmethod
    def _duration(cls, value: str) -> str:
        if parse_duration(value) is None:
            raise ValueError(f"forstod ikke «{value}»; skriv en varighet som 1d, 12h eller 30m")
        return value

    @field_validator("motebot_deadline_pings", "motebot_meeting_notices")
    @classmethod
    def _offsets(cls, value: str) -> str:
        if parse_offsets(value) is None:
            raise ValueError(f"forstod ikke «{value}»; skriv varigheter skilt med komma, som 7d,1d,2h,30m")
        return value

    @field_validator("motebot_admins", mode="before")
    @classmethod
    def _admins(cls, value: object) -> list[str]:
        items = [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value
        if not isinstance(items, list):
            raise ValueError("må være Slack-bruker-ID-er skilt med komma, som U0123ABCD,U0456EFGH")
        bad = [
            item
            for item in items
            if not isinstance(item, str) or not (_USER_ID.match(item) or _WORKSPACE_USER_ID.match(item))
        ]
        if bad:
            raise ValueError(
                f"«{bad[0]}» er ingen Slack-bruker-ID; skriv ID-er skilt med komma, som U0123ABCD,U0456EFGH"
            )
        return items

    @model_validator(mode="after")
    def _one_mode(self) -> Settings:
        """One workspace (SLACK_BOT_TOKEN) or many (SLACK_CLIENT_ID): the settings of the other are refused, so
        no setting means something in one workspace and silently nothing, or everything, in the others."""
        workspace_admins = [admin for admin in self.motebot_admins if "/" in admin]
        if self.motebot_workspace and self.motebot_database_url is None:
            raise ValueError(
                "MOTEBOT_WORKSPACE gjelder bare med MOTEBOT_DATABASE_URL (PostgreSQL); en TinyDB-fil har ett "
                "arbeidsområde: fjern MOTEBOT_WORKSPACE, eller sett MOTEBOT_DATABASE_URL"
            )
        if not self.oauth:
            if workspace_admins:
                raise ValueError(
                    f"MOTEBOT_ADMINS: «{workspace_admins[0]}» nevner et arbeidsområde, men det brukes bare med "
                    "SLACK_CLIENT_ID (mange arbeidsområder); skriv bare bruker-ID-en, som U0123ABCD"
                )
            return self
        if self.slack_client_id is None or self.slack_client_secret is None:
            missing = "SLACK_CLIENT_SECRET" if self.slack_client_secret is None else "SLACK_CLIENT_ID"
            raise ValueError(f"Mangler innstillingen {missing}: mange arbeidsområder trenger både SLACK_CLIENT_ID "
                             "og SLACK_CLIENT_SECRET (fra appens Basic Information).")  # fmt: skip
        if self.slack_bot_token is not None:
            raise ValueError(
                "SLACK_BOT_TOKEN og SLACK_CLIENT_ID kan ikke brukes sammen: med SLACK_CLIENT_ID får hvert "
                "arbeidsområde sin token når det installerer appen; fjern SLACK_BOT_TOKEN."
            )
        if self.motebot_database_url is None:
            raise ValueError(
                "Mangler innstillingen MOTEBOT_DATABASE_URL: mange arbeidsområder (SLACK_CLIENT_ID) lagres i "
                "PostgreSQL, som postgresql://motebot@localhost/motebot."
            )
        if self.motebot_channel is not None:
            raise ValueError(
                "MOTEBOT_CHANNEL kan ikke brukes med SLACK_CLIENT_ID: en kanal-ID gjelder ett arbeidsområde; "
                "hvert arbeidsområde lager sine organ med /motebot opprett. Fjern MOTEBOT_CHANNEL."
            )
        if plain := [admin for admin in self.motebot_admins if "/" not in admin]:
            raise ValueError(
                f"MOTEBOT_ADMINS: «{plain[0]}» ville vært administrator i alle arbeidsområdene; skriv arbeidsområdet "
                f"foran, som T0123ABCD/{plain[0]} (den som installerer appen, er alltid administrator der)."
            )
        return self

    @property
    def oauth(self) -> bool:
        """Many workspaces, installed through Slack's OAuth flow, rather than one with SLACK_BOT_TOKEN."""
        return self.slack_client_id is not None or self.slack_client_secret is not None

    @property
    def database_url(self) -> str | None:
        return self.motebot_database_url.get_secret_value() if self.motebot_database_url else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.motebot_timezone)

    @property
    def deadline_pings(self) -> list[timedelta]:
        offsets = parse_offsets(self.motebot_deadline_pings)
        assert offsets is not None
        return offsets

    @property
    def meeting_notices(self) -> list[timedelta]:
        offsets = parse_offsets(self.motebot_meeting_notices)
        assert offsets is not None
        return offsets

    @property
    def vote_reminder(self) -> timedelta:
        duration = parse_duration(self.motebot_vote_reminder)
        assert duration is not None
        return duration

    def rules(self, admins: frozenset[str] | None = None) -> GroupRules:
        """What the core needs of the settings; tokens, the server and the database stay here. `admins`: one
        workspace's, where there are many (`workspace_admins`)."""
        return GroupRules(
            tz=self.tz,
            channel=self.motebot_channel,
            admins=frozenset(self.motebot_admins) if admins is None else admins,
            standing_items=tuple(StandingRule(**item.model_dump()) for item in self.motebot_standing_items),
            vote_reminder=self.vote_reminder,
            deadline_pings=tuple(self.deadline_pings),
            meeting_notices=tuple(self.meeting_notices),
            public_url=self.motebot_public_url,
        )

    def workspace_admins(self, team: str, installer: str | None) -> frozenset[str]:
        """One workspace's administrators, where there are many: who installed the app there, and the
        MOTEBOT_ADMINS written `TEAM/USER` for it (a user ID alone is another person in another workspace)."""
        named = {admin.partition("/")[2] for admin in self.motebot_admins if admin.partition("/")[0] == team}
        return frozenset(named | ({installer} if installer else set()))

    def installation(
        self, store: StoreP, clock: Clock, *, admins: frozenset[str] | None = None, wakeup: Wakeup | None = None
    ) -> Installation:
        """Every body in `store`; with MOTEBOT_CHANNEL, that channel is one of them (made or bound now).
        `admins` and `wakeup`: one workspace's of many (the wakeup shared by all of them)."""
        rules = self.rules(admins)
        installation = (
            Installation(rules, store, clock) if wakeup is None else Installation(rules, store, clock, wakeup)
        )
        with store.transaction():  # one commit: named and bound, or neither
            name_unnamed(installation, self.motebot_body_name)
            if self.motebot_channel:
                configured_channel(installation, self.motebot_channel, self.motebot_body_name)
        return installation

    def require(self, *names: str) -> None:
        """Fail with one clear line when a mode needs a setting that is not there."""
        for name in names:
            if getattr(self, name) is None:
                raise SettingsError(f"Mangler innstillingen {name.upper()} (sett den i miljøet eller i .env).")


_SHAPES = {
    "motebot_standing_items": 'må være JSON som [{"title": "Eventuelt", "last": true}]',
}


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except PydanticSettingsError as error:  # a value that is not even JSON, where JSON is expected
        field = next((name for name in _SHAPES if name in str(error)), "innstillingene")
        raise SettingsError(f"Ugyldig innstilling {field.upper()}: {_SHAPES.get(field, 'feil form')}") from None
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first["msg"])
        if not first["loc"] and message.startswith("Value error, "):  # settings that do not go together
            raise SettingsError(message.removeprefix("Value error, ")) from None
        field = str(first["loc"][0]) if first["loc"] else "innstillingene"
        if message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        else:  # pydantic's own English: say what shape is wanted instead
            message = _SHAPES.get(field, "har feil form")
        raise SettingsError(f"Ugyldig innstilling {field.upper()}: {message}") from None
