import json
import stat

import pytest
from jwcrypto import jwe, jwk

from vc.encoding import b64url_decode
from vc.errors import InvalidKeyError, PassphraseRequiredError, UsageError, WrongPassphraseError
from vc.keys import KeyPair, PublicKey, read_key_file, write_key_file


@pytest.fixture(params=["Ed25519", "P-256"])
def pair(request):
    return KeyPair.generate(request.param)


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_plain_round_trip(tmp_path, pair):
    path = tmp_path / "issuer.jwk"
    write_key_file(path, pair)
    assert _mode(path) == 0o600
    assert json.loads(path.read_text()) == pair.to_jwk()
    assert read_key_file(path) == pair


def test_encrypted_round_trip(tmp_path, pair):
    path = tmp_path / "issuer.jwk"
    write_key_file(path, pair, passphrase="correct horse battery staple")
    assert _mode(path) == 0o600
    text = path.read_text()
    assert pair.to_jwk()["d"] not in text
    header = json.loads(b64url_decode(text.strip().split(".")[0]))
    assert header["alg"] == "PBES2-HS512+A256KW" and header["enc"] == "A256GCM"
    assert header["p2c"] >= 210_000
    assert header["p2c"] >= 10000 and len(b64url_decode(header["p2s"])) >= 16
    loaded = read_key_file(path, passphrase="correct horse battery staple")
    assert loaded == pair and loaded.sign(b"x") is not None


def test_mode_is_0600_even_with_permissive_umask(tmp_path):
    import os

    old = os.umask(0)
    try:
        write_key_file(tmp_path / "k.jwk", KeyPair.generate())
    finally:
        os.umask(old)
    assert _mode(tmp_path / "k.jwk") == 0o600


def test_wrong_passphrase(tmp_path, pair):
    path = tmp_path / "k.jwe"
    write_key_file(path, pair, passphrase="right")
    with pytest.raises(WrongPassphraseError) as info:
        read_key_file(path, passphrase="wrong")
    assert info.value.code == "WRONG_PASSPHRASE"


def test_encrypted_file_without_passphrase_says_one_is_needed(tmp_path):
    path = tmp_path / "k.jwe"
    write_key_file(path, KeyPair.generate(), passphrase="pw")
    with pytest.raises(PassphraseRequiredError) as info:
        read_key_file(path)
    assert "passphrase" in info.value.message


def test_altered_ciphertext_is_refused(tmp_path):
    path = tmp_path / "k.jwe"
    write_key_file(path, KeyPair.generate(), passphrase="pw")
    parts = path.read_text().strip().split(".")
    parts[3] = ("A" if parts[3][0] != "A" else "B") + parts[3][1:]
    path.write_text(".".join(parts))
    with pytest.raises((WrongPassphraseError, InvalidKeyError)):
        read_key_file(path, passphrase="pw")


def test_jwe_with_another_algorithm_is_refused(tmp_path):
    secret = jwk.JWK.generate(kty="oct", size=256)
    token = jwe.JWE(json.dumps(KeyPair.generate().to_jwk()).encode(), protected={"alg": "dir", "enc": "A256GCM"})
    token.add_recipient(secret)
    path = tmp_path / "k.jwe"
    path.write_text(token.serialize(compact=True))
    with pytest.raises(InvalidKeyError):
        read_key_file(path, passphrase="pw")


def test_public_key_file(tmp_path, pair):
    path = tmp_path / "pub.jwk"
    write_key_file(path, pair.public)
    loaded = read_key_file(path)
    assert isinstance(loaded, PublicKey) and loaded == pair.public


def test_refuses_to_overwrite_unless_asked(tmp_path):
    path = tmp_path / "k.jwk"
    first, second = KeyPair.generate(), KeyPair.generate()
    write_key_file(path, first)
    with pytest.raises(UsageError):
        write_key_file(path, second)
    assert read_key_file(path) == first
    write_key_file(path, second, overwrite=True)
    assert read_key_file(path) == second and _mode(path) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k.jwk"]  # no temporary files left


@pytest.mark.parametrize(
    "content",
    [b"", b"not json", b"[1]", b'{"kty": "OKP", "crv": "Ed25519"}', b"a.b.c.d.e", b"\xff\xfe"],
    ids=["empty", "text", "array", "incomplete-jwk", "garbage-jwe", "binary"],
)
def test_garbage_files(tmp_path, content):
    path = tmp_path / "k"
    path.write_bytes(content)
    with pytest.raises(InvalidKeyError):
        read_key_file(path, passphrase="pw")


def test_missing_file(tmp_path):
    with pytest.raises(InvalidKeyError):
        read_key_file(tmp_path / "absent.jwk")


def test_empty_passphrase_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        write_key_file(tmp_path / "k", KeyPair.generate(), passphrase="")
