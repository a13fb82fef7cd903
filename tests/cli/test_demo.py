"""``jitsuin demo``: every step's outcome in its output, and exit 1 when a step does not behave as expected."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from cli import demo_steps
from examples import family
from examples.world import Town, today
from vc.errors import WalletError

ROOT = Path(__file__).resolve().parents[2]


def _section(out: str, number: int) -> str:
    """The text of step ``number`` (from its heading to the next one)."""
    match = re.search(rf"^{number}\. .*?(?=^\d\. |\Z)", out, flags=re.S | re.M)
    assert match, f"no step {number} in the output"
    return match.group(0)


def test_demo_walks_through_the_five_steps(jitsuin) -> None:
    run = jitsuin("demo")
    out = run.out
    assert run.code == 0, out + run.err

    issued = _section(out, 1)
    assert "offer: openid-credential-offer://?credential_offer_uri=" in issued
    assert re.search(r"PIN:\s+\d{6}", issued)
    assert "出生証明書 (Certificate of birth)" in issued and "霞が関中央病院" in issued

    birth = _section(out, 2)
    assert "目的 purpose:" in birth and "出生届の届出事項" in birth
    assert "署名を確認済み" in birth  # the wallet checked the verifier's signed request
    assert "出生届" in birth and "子の性別" in birth
    # each field names its source credential and issuer
    assert re.search(r"生まれたとき\s*\|.*\| BirthCertificateCredential \(霞が関中央病院\)", birth)
    assert re.search(r"届出人の氏\s*\|\s*山田\s*\| ResidentRecordCredential \(千代田区\)", birth)

    daycare = _section(out, 3)
    assert "給与（baseSalary）は証明書に記載されていますが、この手続に不要なので送りません" in daycare
    assert "312000" not in daycare and "312,000" not in daycare  # the salary value appears nowhere
    assert re.search(r"世帯の児童\s*\|\s*山田 一郎（子・2019-11-03）、山田 桜", daycare)
    # the daughter's own certificate, held by her mother: about the child (sub), bound to the mother's key
    assert re.search(r"about the child, held by the parent: sub urn:uuid:[0-9a-f-]{36}, not the wallet's key", daycare)
    assert re.search(r"認定を受ける児童の名\s*\|\s*桜\s*\| ResidentRecordCredential \(千代田区\)", daycare)
    assert "is in the household as 妻" in daycare
    assert "✓ 子 (child) linked to the applicant through 世帯 Household ✓ (続柄 子" in daycare
    # the working hours read as a schedule, not as JSON
    assert re.search(r"保護者（申請者）の就労時間\s*\|\s*週5日 9:00〜17:30（休憩60分、週37.5時間）", daycare)
    assert '{"fixed"' not in out
    # the issuer's metadata names it in ja and en: the wallet shows both
    assert "発行者 issuer 株式会社霞が関商事 (Kasumigaseki Trading Co., Ltd.)" in daycare

    revoked = _section(out, 4)
    # the employer's records say which credential its offer became (no guessing)
    assert re.search(r"GET /offers/\{id\}/credentials\): redeemed, (urn:uuid:[0-9a-f-]{36}) \(dc\+sd-jwt\)", revoked)
    looked_up = re.search(r"redeemed, (urn:uuid:[0-9a-f-]{36})", revoked).group(1)
    assert f"revoked it (退職 affiliation_changed): {looked_up} -> revoked" in revoked
    assert "-> revoked" in revoked
    assert "refused: REVOKED" in revoked
    assert "did not verify (REVOKED)" in revoked

    history = _section(out, 5)
    entries = re.findall(r"^\s+\d\. \d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST\s+千代田区\s+(.+)$", history, flags=re.M)
    assert [e.split()[0] for e in entries] == ["提示", "提示", "不受理"]
    assert "(REVOKED)" in entries[2]
    assert "就労証明書 (株式会社霞が関商事): 15 claims in" in history
    # the daughter's resident record, in the 保育認定 entries: what the procedure asked for, not her address
    assert "住民票の写し (千代田区): 6 claims in birthDate, familyName, givenName, municipalityCode, " \
           "relationshipToHouseholder, sex" in history
    assert "baseSalary" not in history

    times = re.findall(r"^\s+(出生届 birth registration|保育認定 daycare): (\d+) ms$", out, flags=re.M)
    assert [name for name, _ in times] == ["出生届 birth registration", "保育認定 daycare"]
    assert "every step behaved as expected" in out
    assert "312000" not in out


def test_the_childs_certificate_is_refused_without_the_household_link(tmp_path: Path) -> None:
    """The daycare step's child certificate (about the daughter, held by the mother) counts only through the
    Household presented with it: without it the verifier refuses it with SUBJECT_NOT_LINKED, and with a household
    that does not name the child (the one from before her birth) with LINK_PERSON_MISMATCH."""
    born = today() - timedelta(days=3)
    with Town.open(tmp_path, issuers=("city", "employer")) as town:
        before_birth = town.issue_to_wallet("city", "Household", family.household())
        town.issue_to_wallet("city", "Household", family.household(newborn=born))
        town.receive(town.offer("city", "ResidentRecord", family.child_resident_record(born), subject={}))
        town.issue_to_wallet("city", "ResidentTaxCertificate", family.resident_tax_certificate(today()))
        town.issue_to_wallet("employer", "EmploymentCertificate", family.employment_certificate(today()))

        def refused(*, without: str | None = None, household: str | None = None) -> dict:
            created = town.request("daycare-certification")
            request = town.open_request(created["link"])
            plan = town.plan(request, optional=("child",), chosen={"household": household} if household else None)
            assert "child" in [c.query_id for c in plan.credentials]
            if without is not None:
                plan = replace(plan, credentials=tuple(c for c in plan.credentials if c.query_id != without))
            with pytest.raises(WalletError) as caught:
                town.present(request, plan)
            assert caught.value.code == "RESPONSE_FAILED"
            return town.result(created)["outcome"]

        def child_code(outcome: dict) -> str | None:
            return next(c.get("code") for c in outcome["checks"] if c["check"] == "query:child")

        alone = refused(without="household")
        assert child_code(alone) == "SUBJECT_NOT_LINKED" and "SUBJECT_NOT_LINKED" in alone["codes"]
        stranger = refused(household=before_birth.id)
        assert child_code(stranger) == "LINK_PERSON_MISMATCH"
        assert not alone["verified"] and not stranger["verified"]


def test_interactive_demo_asks_and_a_refusal_sends_nothing(jitsuin) -> None:
    run = jitsuin("demo", "--interactive", stdin=b"y\nn\ny\n")
    assert run.code == 0, run.out + run.err
    assert run.out.count("Send these claims?") == 3
    daycare = _section(run.out, 3)
    assert "declined: nothing was sent" in daycare and "WALLET_ERROR" in daycare
    assert "施設等利用給付認定" not in daycare  # no form: nothing was verified
    history = _section(run.out, 5)
    assert re.search(r"辞退 declined", history)
    assert "refused: REVOKED" in _section(run.out, 4)


def test_a_step_that_fails_is_named_and_the_exit_code_is_1(jitsuin, monkeypatch) -> None:
    def broken(self: demo_steps.Walkthrough) -> None:
        self.expect(False, "the hospital's certificate arrives", "nothing")

    def revocation(self: demo_steps.Walkthrough) -> None:
        raise RuntimeError("the employer's service is down")

    monkeypatch.setattr(demo_steps.Walkthrough, "birth_certificate", broken)
    monkeypatch.setattr(demo_steps.Walkthrough, "birth_registration", lambda self: None)
    monkeypatch.setattr(demo_steps.Walkthrough, "daycare", lambda self: None)
    monkeypatch.setattr(demo_steps.Walkthrough, "revocation", revocation)
    run = jitsuin("demo")
    assert run.code == 1
    assert "not as expected: the hospital's certificate arrives (got: nothing)" in run.out
    assert "revocation failed: RuntimeError: the employer's service is down" in run.out
    assert "every step behaved as expected" not in run.out
    assert "5. 開示履歴" not in run.out  # the steps after a failure do not run


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT")
def test_serve_keeps_the_wallet_and_the_verifier_running(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "demo", "--serve"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 60
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.strip().startswith("then start"):
                break
        out = "".join(lines)
        wallet = re.search(r"wallet:\s+(http://127\.0\.0\.1:\d+)/", out)
        staff = re.search(r"verifier staff: (http://127\.0\.0\.1:\d+)/staff\s+\(staff token: (\S+)\)", out)
        assert wallet and staff, out
        assert httpx.get(wallet.group(1) + "/").status_code == 200
        assert httpx.get(staff.group(1) + "/staff/login").status_code == 200
        assert "openid-credential-offer://" in out and re.search(r"PIN \d{6}", out)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "".join(lines)
