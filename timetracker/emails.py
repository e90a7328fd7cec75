"""Email addresses: one rule for every place that takes one (sign-up, log-in, invitations,
developer ids, the SMTP sender).

`email-validator` checks the syntax; a hand-written pattern let through addresses that spoof
the lists people read (`\\u202egnp.exe@example.com` shows as `moc.elpmaxe@exe.png`). Refused:
control, bidi and other format characters anywhere, and any non-ASCII character before the @
(SMTPUTF8 off: an emoji or a look-alike letter there has no job but to look like someone
else). Internationalised domains are accepted and kept in their ASCII (IDNA) form, so one
address has one spelling (`ana@bücher.de` is `ana@xn--bcher-kva.de`) and a look-alike domain
shows as `xn--…` rather than as the domain it imitates. Everything is lower-cased: the
database's checks and lookups compare lower-case addresses.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from timetracker.storable import unstorable_text


class InvalidEmail(ValueError):
    """Not an address we accept; the message says why, for people (it never repeats the input)."""


def normalised_email(text: str) -> str:
    """The one stored form of the address `text` (ASCII, lower-case), or InvalidEmail."""
    if problem := unstorable_text(text):
        raise InvalidEmail(f"The email address {problem}.")
    try:
        checked = validate_email(
            text.strip(),
            check_deliverability=False,  # no DNS from a request; a wrong address just never confirms
            allow_smtputf8=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            allow_display_name=False,
        )
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc
    # Without SMTPUTF8 every accepted address has an ASCII form.
    assert checked.ascii_email is not None
    return checked.ascii_email.lower()
