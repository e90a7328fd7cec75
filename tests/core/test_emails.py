"""One rule for email addresses (timetracker/emails.py): email-validator's syntax, nothing that
spoofs a list (control, bidi or format characters, non-ASCII before the @), IDNA domains kept
in ASCII, everything lower-case."""

from __future__ import annotations

import pytest

from timetracker.emails import InvalidEmail, normalised_email


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("ana@example.com", "ana@example.com"),
        ("  Ana.Lopez+time@Example.COM ", "ana.lopez+time@example.com"),
        ("ana@bücher.de", "ana@xn--bcher-kva.de"),  # IDNA: one spelling per address
        ("ANA@XN--BCHER-KVA.DE", "ana@xn--bcher-kva.de"),
        ("ceo@ex\u0430mple.com", "ceo@xn--exmple-4nf.com"),  # a Cyrillic a (U+0430) shows as what it is
    ],
)
def test_addresses_are_stored_in_one_form(given: str, stored: str) -> None:
    assert normalised_email(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "\u202egnp.exe@example.com",  # right-to-left override: reads as moc.elpmaxe@exe.png
        "ana@example.com\u202e",
        "an\u200ba@example.com",  # zero-width space
        "ana\u2066@example.com",  # bidi isolate
        "ana\u00ad@example.com",  # soft hyphen (a format character)
        "ceo😀@example.com",
        "ceo@😀.com",
        "ñoño@example.com",  # non-ASCII before the @: look-alikes
        "ana\u0000@example.com",
        "ana\u0007@example.com",
        "ana\ud800@example.com",
        "Ana <ana@example.com>",
        '"ana"@example.com',
        "ana@[127.0.0.1]",
        "ana@localhost",
        "a b@example.com",
        "two@@example.com",
        "no-at-sign",
        "@example.com",
        "a@",
        "a..b@example.com",
    ],
)
def test_spoofing_and_malformed_addresses_are_refused(given: str) -> None:
    with pytest.raises(InvalidEmail) as refused:
        normalised_email(given)
    # The reason never repeats the address itself.
    assert given.strip() not in str(refused.value)
