"""保育認定申請 (daycare eligibility), the way an integrator embeds ``verifier`` as a library: no verifier service.

The municipality issues the 世帯 (household) and 課税証明書 (resident tax) certificates, the employer the 就労証明書
(with the salary). The application asks for the procedure's claims only: the wallet library discloses exactly those
(the salary stays in the wallet), and ``verifier.verify_presentation`` checks signatures, holder binding, trust,
status and the procedure's requirements in this process, then ``Procedure.fill_form`` fills the form. The mother
applies for her newborn daughter: the municipality issues the daughter's 住民票の写し to the mother's wallet (an
offer naming the daughter as its subject), and the verifier accepts that certificate about someone else only
because the household presented with it links the two.

    python -m examples.daycare
"""

from __future__ import annotations

import secrets
import sys
import tempfile

from examples import family
from examples.world import Town, today
from vc.holder import build_vp_token, match_dcql, plan_presentation
from verifier import builtin_procedure, verify_presentation

CLIENT_ID = "redirect_uri:https://kosodate.city.example.lg.jp/daycare/response"  # who the wallet answers


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, Town.open(folder, issuers=("city", "employer")) as town:
        town.issue_to_wallet("city", "Household", family.household(newborn=today()))
        # about the daughter (sub), bound to the mother's wallet key
        town.receive(town.offer("city", "ResidentRecord", family.child_resident_record(today()), subject={}))
        town.issue_to_wallet("city", "ResidentTaxCertificate", family.resident_tax_certificate(today()))
        town.issue_to_wallet("employer", "EmploymentCertificate", family.employment_certificate(today()))

        procedure = builtin_procedure("daycare-certification")
        nonce = secrets.token_urlsafe(16)  # fresh per application; the key binding signs it

        # the wallet: the credentials the procedure's DCQL query asks for, and only the claims it asks for; the
        # child's certificate answers an optional credential set, which the mother chooses to answer
        match = match_dcql(procedure.dcql_query(), town.store.credentials())
        child_set = [s.index for s in match.sets if ("child",) in s.options]
        plan = plan_presentation(match, include_optional_sets=child_set)
        vp_token = build_vp_token(plan, client_id=CLIENT_ID, nonce=nonce, key_for=town.store.key)

        # the municipality: one call verifies everything against its policy (trust list, status, binding)
        result = verify_presentation(vp_token, policy=town.policy, procedure=procedure, audience=CLIENT_ID,
                                     nonce=nonce)
        print(f"verified: {result.verified} {' '.join(result.codes)}")
        employment = result.credential("employment")
        salary_sent = employment is None or "baseSalary" in employment.claims
        print(f"salary (baseSalary) disclosed: {salary_sent}")

        form = procedure.fill_form(result)
        print(town.render(form, lang="en"))
        child = result.credential("child")
        print(f"child applied for: {form.field('child_given_name').text} (linked by {child.link if child else '-'})")
        ok = result.verified and form.complete and not salary_sent and child is not None and child.link is not None
        print("daycare application complete" if ok else "daycare application INCOMPLETE")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
