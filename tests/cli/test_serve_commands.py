"""``jitsuin serve token``, ``jitsuin serve issuer`` (a real process) and ``jitsuin offer`` (redeemed by a
running service of the same workspace)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from issuers.service import BackgroundServer, bind_socket, create_app
from issuers.workspace import Workspace
from vc.holder.oid4vci_client import receive_offer
from vc.keys import KeyPair

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    Workspace.init(tmp_path / "ws", name="Example City", unencrypted=True).close()
    return tmp_path / "ws"


def _claims_file(folder: Path, workspace_dir: Path, **change: object) -> Path:
    with Workspace.open(workspace_dir) as ws:
        claims = dict(ws.certificate_type("ResidentRecord").sample)
    claims.update(change)
    path = folder / "claims.json"
    path.write_text(json.dumps(claims, ensure_ascii=False), encoding="utf-8")
    return path


def test_serve_token_prints_a_token_once_and_stores_only_its_digest(jitsuin, workspace_dir: Path) -> None:
    run = jitsuin("serve", "token", "--workspace", str(workspace_dir), "--label", "counter 3")
    assert run.code == 0, run.err
    token = run.out.strip()
    assert len(token) >= 40
    stored = (workspace_dir / "service" / "staff_tokens").read_text()
    assert token not in stored
    assert stored.startswith("sha256:") and "counter 3" in stored
    assert (workspace_dir / "service" / "staff_tokens").stat().st_mode & 0o077 == 0


def test_offer_prints_a_qr_code_and_a_running_service_redeems_it(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    sock = bind_socket("127.0.0.1")
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    png = tmp_path / "offer.png"
    run = jitsuin("offer", "ResidentRecord", str(_claims_file(tmp_path, workspace_dir)), "--pin", "--png", str(png),
                  "--issuer-url", url, "--workspace", str(workspace_dir), "-f", "dc+sd-jwt")
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert any("█" in line for line in lines)  # the terminal QR code
    uri = next(line for line in lines if line.startswith("openid-credential-offer://"))
    pin = next(line for line in lines if line.startswith("PIN:")).split()[1]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    workspace = Workspace.open(workspace_dir)
    app = create_app(workspace, public_url=url)
    with BackgroundServer(app, sock=sock):
        received = receive_offer(uri, holder_key=KeyPair.generate(), tx_code=pin, require_https=False)
    assert received.format == "dc+sd-jwt"
    app.state.jitsuin.close()
    workspace.close()


def test_offer_as_json_and_svg(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    svg = tmp_path / "offer.svg"
    run = jitsuin("offer", "ResidentRecord", str(_claims_file(tmp_path, workspace_dir)), "--json", "--by-value",
                  "--svg", str(svg), "--workspace", str(workspace_dir))
    assert run.code == 0, run.err
    offer = json.loads(run.out)
    assert offer["offer_uri"].startswith("openid-credential-offer://?credential_offer=")
    assert offer["tx_code"] is None and offer["credential_offer_uri"] is None
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()


def test_offer_with_bad_claims_names_the_field_and_exits_2(jitsuin, workspace_dir: Path, tmp_path: Path) -> None:
    claims = _claims_file(tmp_path, workspace_dir, birthDate="令和2年4月1日")
    run = jitsuin("offer", "ResidentRecord", str(claims), "--workspace", str(workspace_dir))
    assert run.code == 2
    assert "birthDate" in run.err and "和暦" in run.err
    assert "令和2年4月1日" not in run.err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_issuer_runs_the_service_with_the_workspaces_staff_tokens(jitsuin, workspace_dir: Path) -> None:
    token = jitsuin("serve", "token", "--workspace", str(workspace_dir)).out.strip()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "issuer", "--port", str(port), "--workspace", str(workspace_dir),
         "--public-url", url, "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                metadata = httpx.get(url + "/.well-known/openid-credential-issuer", timeout=5)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.stderr.read().decode() if process.stderr else "no output") from None
                time.sleep(0.2)
        assert metadata.json()["credential_issuer"] == url
        credential = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                      "credentialSubject": {"id": "did:example:1"}}
        denied = httpx.post(url + "/credentials/issue", json={"credential": credential}, timeout=30)
        assert denied.status_code == 401
        issued = httpx.post(url + "/credentials/issue", json={"credential": credential},
                            headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert issued.status_code == 201, issued.text
    finally:
        process.terminate()
        process.wait(timeout=30)
