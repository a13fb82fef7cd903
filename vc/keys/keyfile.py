"""Key files: a JWK (RFC 7517) as JSON, or, with a passphrase, that JWK inside a compact JWE
(RFC 7516) using PBES2-HS256+A128KW key wrapping (RFC 7518 section 4.8) and A256GCM, via jwcrypto.

Files are written atomically (temporary file, then rename/link) with mode 0600.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "issuer.jwk"
>>> write_key_file(path, KeyPair.from_seed(bytes(32)), passphrase="correct horse")
>>> read_key_file(path, passphrase="correct horse").alg
'Ed25519'
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
import json
import os
import secrets
import threading
from pathlib import Path

from jwcrypto import jwa, jwe, jwk
from jwcrypto.common import JWException

from vc.errors import (
    InvalidKeyError,
    KeyMaterialError,
    PassphraseRequiredError,
    UsageError,
    VcError,
    WrongPassphraseError,
)
from vc.input import load_json
from vc.keys.key_pair import KeyPair
from vc.keys.public_key import PublicKey

__all__ = ["KEY_FILE_ALG", "KEY_FILE_ENC", "PBES2_ITERATIONS", "read_key_file", "write_key_file"]

KEY_FILE_ALG = "PBES2-HS512+A256KW"
KEY_FILE_ENC = "A256GCM"
# OWASP's 2023 figure for PBKDF2-HMAC-SHA512; reading a key costs ~0.2 s, once per command
PBES2_ITERATIONS = 210_000
# jwcrypto caps p2c at 16384 as a DoS guard; we lift it to this bound, and only while decrypting
_MAX_PBES2_ITERATIONS = 1_000_000
_pbes2_lock = threading.Lock()
_MAX_FILE_BYTES = 64 * 1024


def write_key_file(
    path: str | os.PathLike[str],
    key: KeyPair | PublicKey,
    *,
    passphrase: str | None = None,
    overwrite: bool = False,
) -> None:
    """Write ``key`` as a JWK file (a JWE when ``passphrase`` is given), mode 0600, atomically.

    Refuses to replace an existing file unless ``overwrite=True`` (UsageError).
    """
    if isinstance(key, KeyPair):
        document = key.to_jwk(private=True)
    elif isinstance(key, PublicKey):
        document = key.to_jwk()
    else:
        raise UsageError("key must be a KeyPair or a PublicKey")
    plaintext = json.dumps(document, indent=2) + "\n"
    if passphrase is None:
        content = plaintext
    else:
        _check_passphrase(passphrase)
        header = {"alg": KEY_FILE_ALG, "enc": KEY_FILE_ENC, "cty": "jwk+json", "p2c": PBES2_ITERATIONS}
        token = jwe.JWE(plaintext.encode("utf-8"), protected=json.dumps(header))
        with _pbes2_allowed():
            token.add_recipient(jwk.JWK.from_password(passphrase))
        content = token.serialize(compact=True) + "\n"
    _atomic_write(Path(path), content.encode("utf-8"), overwrite=overwrite)


def read_key_file(path: str | os.PathLike[str], *, passphrase: str | None = None) -> KeyPair | PublicKey:
    """Read a key file: a KeyPair if it holds a private key, else a PublicKey.

    PassphraseRequiredError for an encrypted file read without a passphrase; WrongPassphraseError
    if the passphrase does not decrypt it; InvalidKeyError for anything that is not a usable key.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidKeyError(f"cannot read key file: {exc.strerror}", path=str(path)) from None
    if len(data) > _MAX_FILE_BYTES:
        raise InvalidKeyError("key file is too large to be a JWK", path=str(path))
    text = data.strip()
    if text.count(b".") == 4 and not text.startswith(b"{"):
        if passphrase is None:
            raise PassphraseRequiredError(
                "the key file is encrypted; give its passphrase (e.g. --passphrase-env VAR)", path=str(path)
            )
        text = _decrypt(text.decode("ascii", "replace"), passphrase, path)
    try:
        document = load_json(text, max_bytes=_MAX_FILE_BYTES, max_depth=8)
    except VcError as exc:
        raise InvalidKeyError(f"key file is neither a JWK nor a JWE: {exc.message}", path=str(path)) from None
    if not isinstance(document, dict):
        raise InvalidKeyError("key file does not hold a JWK object", path=str(path))
    try:
        return KeyPair.from_jwk(document) if "d" in document else PublicKey.from_jwk(document)
    except KeyMaterialError as exc:
        exc.detail.setdefault("path", str(path))
        raise


@contextlib.contextmanager
def _pbes2_allowed() -> Iterator[None]:
    """Lift jwcrypto's p2c cap to ours for one operation (it is a module global, hence the lock)."""
    with _pbes2_lock:
        saved, jwa.default_max_pbkdf2_iterations = jwa.default_max_pbkdf2_iterations, _MAX_PBES2_ITERATIONS
        try:
            yield
        finally:
            jwa.default_max_pbkdf2_iterations = saved


def _check_passphrase(passphrase: str) -> None:
    if not isinstance(passphrase, str) or not passphrase:
        raise UsageError("the passphrase must be a non-empty string")


def _decrypt(token: str, passphrase: str, path: Path) -> bytes:
    _check_passphrase(passphrase)
    envelope = jwe.JWE()
    envelope.allowed_algs = [KEY_FILE_ALG, KEY_FILE_ENC]
    try:
        envelope.deserialize(token)
    except JWException:
        raise InvalidKeyError("key file is not a valid JWE", path=str(path)) from None
    header = envelope.jose_header
    if header.get("alg") != KEY_FILE_ALG or header.get("enc") != KEY_FILE_ENC:
        raise InvalidKeyError(
            f"key file JWE must use alg {KEY_FILE_ALG} and enc {KEY_FILE_ENC}", path=str(path)
        )
    p2c = header.get("p2c")
    if not isinstance(p2c, int) or not 1000 <= p2c <= _MAX_PBES2_ITERATIONS:
        raise InvalidKeyError(f"key file JWE p2c must be between 1000 and {_MAX_PBES2_ITERATIONS}", path=str(path))
    try:
        with _pbes2_allowed():
            envelope.decrypt(jwk.JWK.from_password(passphrase))
    except (JWException, ValueError):
        # AES key unwrap fails the same way for a wrong passphrase and an altered file
        raise WrongPassphraseError(
            "the passphrase does not decrypt the key file (wrong passphrase, or the file was altered)",
            path=str(path),
        ) from None
    return envelope.payload


def _atomic_write(path: Path, content: bytes, *, overwrite: bool) -> None:
    if not overwrite and path.exists():
        raise UsageError("the key file already exists; choose another path or overwrite it explicitly",
                         path=str(path))
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)  # the umask can only clear bits; make the mode exact
            os.write(fd, content)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic and refuses to clobber a file created meanwhile
            except FileExistsError:
                raise UsageError("the key file already exists", path=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
