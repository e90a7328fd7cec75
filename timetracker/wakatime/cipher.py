"""OAuth tokens at rest: Fernet, with every key in FERNET_KEYS able to decrypt.

The first key encrypts; listing a new key first and keeping the old ones after it rotates
keys without a migration (`rotate` re-encrypts a value under the first key).
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from timetracker.config import Settings


class TokenCipher:
    def __init__(self, fernet_keys: str) -> None:
        keys = [key.strip() for key in fernet_keys.split(",") if key.strip()]
        if not keys:
            raise ValueError("FERNET_KEYS is empty")
        self._fernet = MultiFernet([Fernet(key) for key in keys])

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCipher:
        return cls(settings.fernet_keys.get_secret_value())

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        """Raises InvalidToken when no configured key opened it (a removed key)."""
        return self._fernet.decrypt(ciphertext.encode()).decode()

    def rotate(self, ciphertext: str) -> str:
        return self._fernet.rotate(ciphertext.encode()).decode()


__all__ = ["InvalidToken", "TokenCipher"]
