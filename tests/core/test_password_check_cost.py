"""A login with an unknown email checks a password as long as one with a known email: the
stand-in hash it checks against has the cost every stored password has."""

from __future__ import annotations

import bcrypt

from timetracker.auth import local_server


def test_the_stand_in_hash_has_the_stored_passwords_cost() -> None:
    # bcrypt keeps its cost in the hash ("$2b$10$..."), and the time a check takes follows it.
    stand_in = local_server._DUMMY_HASH
    stored = bcrypt.hashpw(b"a real password", bcrypt.gensalt(local_server.BCRYPT_ROUNDS))
    assert stand_in.split(b"$")[2] == stored.split(b"$")[2] == f"{local_server.BCRYPT_ROUNDS:02d}".encode()


def test_no_password_matches_the_stand_in_hash() -> None:
    assert not bcrypt.checkpw(b"", local_server._DUMMY_HASH)
    assert not bcrypt.checkpw(b"not the password", local_server._DUMMY_HASH)
