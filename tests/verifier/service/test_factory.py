"""The service as ``jitsuin serve verifier`` builds it: shipped procedures, a trust list file, a
shared SQLite request store (two apps on one file behave as two workers)."""

from __future__ import annotations


from tests.verifier import oid4vp_support as support
from verifier.service.auth import add_staff_token
from verifier.service.factory import ServiceConfig, build_app


def test_served_from_config_with_shipped_procedures_and_a_shared_store(tmp_path, hospital) -> None:
    trust = tmp_path / "trust.yaml"
    trust.write_text(f"name: test\nentries:\n  - did: {hospital.did}\n    types: [BirthCertificateCredential]\n",
                     encoding="utf-8")
    db = tmp_path / "requests.db"
    token = add_staff_token(tmp_path / "staff_tokens", label="counter 1")
    staff = {"Authorization": f"Bearer {token}"}
    servers = []
    try:
        for _ in range(2):  # two "workers" on one request store
            servers.append(support.LiveServer(lambda base: build_app(ServiceConfig(
                public_url=base, trust_list=str(trust), db=str(db), audit_db=str(tmp_path / "audit.db"),
                name={"ja": "みどり市", "en": "Midori City"}, staff_token_file=str(tmp_path / "staff_tokens")))))
        first, second = servers
        with first.client() as a, second.client() as b:
            ids = {p["id"] for p in a.get("/procedures", headers=staff).json()}
            assert {"birth-registration", "daycare-certification", "school-transfer", "job-change"} <= ids
            assert b.post("/requests", json={"procedure": "birth-registration"}).status_code == 401
            created = a.post("/requests", json={"procedure": "birth-registration"}, headers=staff).json()
            # the other worker serves the request object once, and then neither does again
            request_uri = created["request_uri"].replace(first.base_url, second.base_url)
            assert b.get(request_uri).status_code == 200
            again = a.get(created["request_uri"])
            assert again.status_code == 409 and again.json()["errorCode"] == "REQUEST_URI_ALREADY_FETCHED"
            status = b.get(f"/requests/{created['id']}/result", headers={"Authorization": f"Bearer {created['result_token']}"})
            assert status.json()["status"] == "fetched"
    finally:
        for server in servers:
            server.stop()
