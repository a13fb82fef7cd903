"""HTTPS: the service serves TLS with a given certificate (self-signed here) and the whole OpenID4VCI flow runs
over it with the wallet client insisting on https."""

from __future__ import annotations

import ssl
from datetime import datetime, timedelta, timezone
from ipaddress import IPv4Address
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from issuers.service import BackgroundServer, bind_socket, create_app, new_staff_token
from issuers.workspace import Workspace
from vc.holder.oid4vci_client import receive_offer
from vc.keys import KeyPair


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_https_with_a_self_signed_certificate(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    sock = bind_socket("127.0.0.1")
    url = f"https://127.0.0.1:{sock.getsockname()[1]}"
    workspace = Workspace.init(tmp_path / "ws", name="Example Clinic", unencrypted=True, status_base_url=url)
    token, digest = new_staff_token()
    app = create_app(workspace, staff_tokens=[digest], public_url=url)
    trust = ssl.create_default_context(cafile=str(cert))
    with BackgroundServer(app, sock=sock, certfile=cert, keyfile=key) as server, \
            httpx.Client(base_url=url, verify=trust, timeout=30) as http:
        assert server.url == url
        assert http.get("/.well-known/openid-credential-issuer").json()["credential_issuer"] == url
        # an untrusted certificate is refused by a default client
        with pytest.raises(httpx.ConnectError):
            httpx.get(url + "/.well-known/did.json", timeout=10)
        offer = http.post("/offers", json={"type": "ResidentRecord", "claims": dict(
            workspace.certificate_type("ResidentRecord").sample)}, headers={"Authorization": f"Bearer {token}"})
        assert offer.status_code == 201
        assert offer.json()["credential_offer_uri"].startswith(url + "/offers/")
        received = receive_offer(offer.json()["offer_uri"], holder_key=KeyPair.generate(),
                                 tx_code=offer.json()["tx_code"], http=http)  # require_https stays on
        assert received.format == "dc+sd-jwt"
        status_url = f"{url}/status/1.jwt"
        listed = http.get(status_url)
        assert listed.status_code == 200 and listed.headers["content-type"].startswith("application/statuslist+jwt")
    app.state.jitsuin.close()
    workspace.close()
