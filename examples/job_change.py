"""転職 (joining a new employer): the new employer's HR system checks the former employer's 源泉徴収票 and the
health insurance 資格確認書, with ``verifier`` as a library and a trust list of its own.

The trust list names which issuer is trusted for which certificate (in production: a file, ``TrustList.load``, or
a signed list a ministry publishes); anything else is refused with its own code. The insurance card's symbol and
number are not asked for, so they never leave the wallet.

    python -m examples.job_change
"""

from __future__ import annotations

import secrets
import sys
import tempfile

from examples import family
from examples.world import Town, today
from vc.holder import build_vp_token, match_dcql, plan_presentation
from verifier import Policy, TrustEntry, TrustList, builtin_procedure, verify_presentation

CLIENT_ID = "redirect_uri:https://hr.mirai-shokai.example.co.jp/onboarding/response"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, Town.open(folder, issuers=("employer", "insurer")) as town:
        former_employer, insurer = town.institution("employer"), town.institution("insurer")
        town.issue_to_wallet("employer", "WithholdingSlip", family.withholding_slip(today()))
        town.issue_to_wallet("insurer", "HealthInsurance", family.health_insurance(today()))

        # the new employer's own trust list: whom it trusts for what
        trust = TrustList((
            TrustEntry(types={"WithholdingSlipCredential"}, did=former_employer.did, name={"en": "former employer"}),
            TrustEntry(types={"HealthInsuranceCredential"}, did=insurer.did, name={"en": "health insurer"}),
        ))
        policy = Policy(trust_list=trust, resolver=town.resolver, status_checker=town.checker)
        procedure = builtin_procedure("job-change")

        nonce = secrets.token_urlsafe(16)
        plan = plan_presentation(match_dcql(procedure.dcql_query(), town.store.credentials()))
        vp_token = build_vp_token(plan, client_id=CLIENT_ID, nonce=nonce, key_for=town.store.key)
        result = verify_presentation(vp_token, policy=policy, procedure=procedure, audience=CLIENT_ID, nonce=nonce)
        print(f"verified: {result.verified} {' '.join(result.codes)}")
        for credential in result.counted:
            print(f"  {credential.requirement}: from {town.name_of(credential.issuer, 'en')}")
        insurance = result.credential("insurance")
        card_sent = insurance is None or bool({"symbol", "number"} & set(insurance.claims))
        print(f"insurance card symbol and number disclosed: {card_sent}")

        form = procedure.fill_form(result)
        print(town.render(form, lang="en"))

        # the same presentation against a trust list that does not name the insurer is refused, with its code
        strict = policy.replace(trust_list=TrustList(trust.entries[:1]))
        other_nonce = secrets.token_urlsafe(16)
        again = build_vp_token(plan, client_id=CLIENT_ID, nonce=other_nonce, key_for=town.store.key)
        refused = verify_presentation(again, policy=strict, procedure=procedure, audience=CLIENT_ID, nonce=other_nonce)
        print(f"without the insurer on the trust list: verified {refused.verified} ({', '.join(refused.codes)})")

        ok = result.verified and form.complete and not card_sent and not refused.verified
        print("job change documents complete" if ok else "job change documents INCOMPLETE")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
