"""The vault's master keyring: AES-256 master keys by id, the active one, and the blind-index key.

Where it comes from, first match wins:

1. `SHOPGUARD_MASTER_KEY`: the keyring JSON below, or one base64 32-byte key (its id is derived
   from it and the blind-index key is HKDF-SHA256 of it).
2. The key file (`SHOPGUARD_MASTER_KEY_FILE`, default `<data dir>/vault.key`), JSON:
   `{"version": 1, "active": ID, "keys": {ID: base64, ...}, "index_key": base64}`, mode 0600.
3. Neither: production refuses to start; development creates the key file and says so.

Key material never appears in a repr, an error or a log line; only key ids do.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from shopguard.platform.errors import ConfigError, VaultError

if TYPE_CHECKING:
    from shopguard.platform.config import Settings

KEY_BYTES = 32
FORMAT_VERSION = 1
ENV_NAME = "SHOPGUARD_MASTER_KEY"
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_INDEX_INFO = b"shopguard blind index"


@dataclass
class UnknownKeyError(VaultError):
    """A record or request names a key id the keyring does not hold."""

    code: str = "vault_unknown_key"


@dataclass(frozen=True, repr=False)
class Keyring:
    """Master keys by id, the id new records are sealed under, and the blind-index key.

    `path` is the key file it was read from (None: the environment). `keys` only ever grows
    in place, through `reload()`, when another process has added a key by rotating."""

    keys: dict[str, bytes]
    active: str
    index_key: bytes
    path: Path | None = None
    _aeads: dict[str, AESGCM] = field(default_factory=dict, init=False, compare=False)

    def __post_init__(self) -> None:
        if self.active not in self.keys:
            raise VaultError(f"the keyring's active key {self.active} is not among its keys")
        for key_id, key in self.keys.items():
            _check_key(key_id, key)
        if len(self.index_key) != KEY_BYTES:
            raise VaultError(f"the keyring's index key must be {KEY_BYTES} bytes")

    def __repr__(self) -> str:
        return (
            f"Keyring(active={self.active!r}, key_ids={sorted(self.keys)!r}, "
            f"source={self.source!r})"
        )

    __str__ = __repr__

    @property
    def source(self) -> str:
        """Where the keyring lives: the environment variable's name or the key file's path."""
        return ENV_NAME if self.path is None else str(self.path)

    def key(self, key_id: str) -> bytes:
        """The master key `key_id`; UnknownKeyError (naming only the id) when absent."""
        try:
            return self.keys[key_id]
        except KeyError:
            raise UnknownKeyError(
                f"the vault keyring ({self.source}) has no key {key_id!r}; "
                f"it holds {', '.join(sorted(self.keys))}"
            ) from None

    def aead(self, key_id: str) -> AESGCM:
        """The AES-256-GCM cipher of master key `key_id`, built once per keyring."""
        aead = self._aeads.get(key_id)
        if aead is None:
            aead = self._aeads[key_id] = AESGCM(self.key(key_id))
        return aead

    def reload(self) -> list[str]:
        """Re-read the key file and add keys it has that this keyring lacks (a rotation by
        another process); returns the new ids. The active key stays as loaded."""
        if self.path is None or not self.path.exists():
            return []
        fresh = read_keyring_file(self.path)
        added = [k for k in fresh.keys if k not in self.keys]
        for key_id in added:
            self.keys[key_id] = fresh.keys[key_id]
        return added

    def with_new_key(self) -> Keyring:
        """A copy with a freshly generated key added and made active (old keys kept)."""
        key = generate_key()
        key_id = key_id_for(key)
        return Keyring({**self.keys, key_id: key}, key_id, self.index_key, self.path)

    def without_key(self, key_id: str) -> Keyring:
        """A copy without `key_id` (which must not be the active key)."""
        self.key(key_id)
        if key_id == self.active:
            raise VaultError(f"key {key_id} is the active key and cannot be removed")
        keys = {k: v for k, v in self.keys.items() if k != key_id}
        return Keyring(keys, self.active, self.index_key, self.path)

    def to_json(self) -> str:
        """The key-file form (contains key material: write it only to a 0600 file)."""
        doc = {
            "version": FORMAT_VERSION,
            "active": self.active,
            "keys": {k: base64.b64encode(v).decode() for k, v in self.keys.items()},
            "index_key": base64.b64encode(self.index_key).decode(),
        }
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"


def _check_key(key_id: str, key: bytes) -> None:
    if not _KEY_ID.match(key_id):
        raise VaultError(f"key id {key_id[:40]!r} is not 1-32 letters, digits, '.', '_' or '-'")
    if len(key) != KEY_BYTES:
        raise VaultError(f"key {key_id} must be {KEY_BYTES} bytes (AES-256), not {len(key)}")


def generate_key() -> bytes:
    """A fresh random AES-256 key."""
    return os.urandom(KEY_BYTES)


def key_id_for(key: bytes) -> str:
    """The short public id of a key: "k" and the first 8 hex digits of its SHA-256."""
    return "k" + hashlib.sha256(key).hexdigest()[:8]


def new_keyring(path: Path | None = None) -> Keyring:
    """A keyring with one fresh master key and a fresh blind-index key."""
    key = generate_key()
    return Keyring({key_id_for(key): key}, key_id_for(key), generate_key(), path)


def from_master_key(key: bytes, path: Path | None = None) -> Keyring:
    """The keyring of a single master key: id derived from it, index key HKDF-derived."""
    index = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_INDEX_INFO)
    return Keyring({key_id_for(key): key}, key_id_for(key), index.derive(key), path)


def _b64(value: Any, what: str, where: str) -> bytes:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: {what} must be a base64 string")
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(f"{where}: {what} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise ConfigError(f"{where}: {what} must decode to {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def parse_keyring(text: str, *, where: str, path: Path | None = None) -> Keyring:
    """A keyring from its JSON form; errors name `where` and the field, never a value."""
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise ConfigError(f"{where}: not valid keyring JSON") from None
    if not isinstance(doc, dict):
        raise ConfigError(f"{where}: the keyring must be a JSON object")
    if doc.get("version") != FORMAT_VERSION:
        raise ConfigError(f"{where}: unsupported keyring version (expected {FORMAT_VERSION})")
    keys_doc = doc.get("keys")
    if not isinstance(keys_doc, dict) or not keys_doc:
        raise ConfigError(f"{where}: 'keys' must be a non-empty object of id: base64 key")
    keys = {str(k): _b64(v, f"key {str(k)[:40]!r}", where) for k, v in keys_doc.items()}
    active = doc.get("active")
    if not isinstance(active, str) or active not in keys:
        raise ConfigError(f"{where}: 'active' must name one of the keys ({', '.join(keys)})")
    index_key = _b64(doc.get("index_key"), "'index_key'", where)
    try:
        return Keyring(keys, active, index_key, path)
    except VaultError as exc:
        raise ConfigError(f"{where}: {exc.detail}") from None


def parse_env_key(value: str) -> Keyring:
    """The keyring in SHOPGUARD_MASTER_KEY: keyring JSON, or one base64 32-byte key."""
    value = value.strip()
    if value.startswith("{"):
        return parse_keyring(value, where=ENV_NAME)
    try:  # standard or URL-safe alphabet, strictly (no characters silently dropped)
        raw = base64.b64decode(value.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(
            f"{ENV_NAME} is neither keyring JSON nor base64 (expected a base64 "
            f"{KEY_BYTES}-byte key, e.g. from `openssl rand -base64 32`)"
        ) from None
    if len(raw) != KEY_BYTES:
        raise ConfigError(
            f"{ENV_NAME} must be a base64 {KEY_BYTES}-byte key (AES-256), but it decodes to "
            f"{len(raw)} bytes"
        )
    return from_master_key(raw)


def read_keyring_file(path: Path) -> Keyring:
    """Read and validate the key file; refuse one that other users may read."""
    try:
        mode = path.stat().st_mode
        text = path.read_text("utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the vault key file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid keyring JSON") from None
    if mode & stat.S_IRWXO:
        raise ConfigError(
            f"the vault key file {path} is accessible to every user "
            f"(mode {stat.S_IMODE(mode):04o}); run `chmod 600 {path}`"
        )
    return parse_keyring(text, where=str(path), path=path)


def _write_temp(path: Path, text: str) -> Path:
    """`text` in a new 0600 file beside `path` (never readable by others, not even briefly)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def write_keyring(path: Path, ring: Keyring, *, exclusive: bool = False) -> None:
    """Write `ring` to `path` atomically with mode 0600. `exclusive`: fail with
    FileExistsError rather than replace an existing file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _write_temp(path, ring.to_json())
        try:
            if exclusive:
                os.link(tmp, path)  # atomic, and refuses to overwrite
            else:
                os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    except FileExistsError:
        raise
    except OSError as exc:
        raise VaultError(f"cannot write the vault key file {path}: {exc.strerror}") from None
    with contextlib.suppress(OSError):  # make the rename durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@contextlib.contextmanager
def key_file_lock(path: Path) -> Iterator[None]:
    """Serialise changes to the key file across processes (rotate, retire)."""
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
    except OSError as exc:
        raise VaultError(f"cannot lock the vault key file ({lock}): {exc.strerror}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def load_keyring(settings: Settings) -> tuple[Keyring, str | None]:
    """The configured keyring and, when one had to be created, a notice for the operator."""
    if settings.master_key:
        return parse_env_key(settings.master_key), None
    path = settings.resolved_master_key_file()
    if path.exists():
        return read_keyring_file(path), None
    if settings.env == "production":
        raise ConfigError(
            f"production mode needs a master key: set {ENV_NAME} or create the key file at {path}"
        )
    ring = new_keyring(path)
    try:
        write_keyring(path, ring, exclusive=True)
    except FileExistsError:  # another process created it first: use theirs
        return read_keyring_file(path), None
    notice = (
        f"created a new vault key at {path}; without it the personal data cannot be read "
        "— back it up"
    )
    return ring, notice
