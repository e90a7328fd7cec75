"""Outgoing mail over SMTP: sign-up confirmations and invitations, both carrying a link.

Configured by the SMTP_* settings; with no SMTP_HOST there is no mailer at all and nothing
pretends to send. A failure is one MailError whose text names no address, password or link:
the links are secrets and the log is no place for them.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import structlog
from pydantic import SecretStr

from timetracker.config import Settings

log = structlog.get_logger(__name__)


class MailError(RuntimeError):
    """The mail could not be handed to the SMTP server."""


def one_line(text: str) -> str:
    """Text fit for a header: a team name with a line break must not start a header of its own."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Mailer:
    host: str
    port: int
    username: str
    password: SecretStr
    sender: str
    starttls: bool
    timeout: float

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer | None:
        if not settings.sends_mail:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            sender=settings.smtp_from.strip(),
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = one_line(subject)
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=parseaddr(self.sender)[1].rpartition("@")[2] or None)
        message.set_content(body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password.get_secret_value())
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as exc:
            # The kind of failure only: the exception's text may quote the server, the address or the body.
            log.warning("mail.not_sent", error=type(exc).__name__)
            raise MailError("the mail could not be sent") from exc
        log.info("mail.sent")
