"""A resident applies for a flat: the municipality has issued her two certificates; the company's form asks her
wallet for two facts; the company decides. Everything on this machine (``examples.world``).

    python -m examples.rental_application
"""

from __future__ import annotations

import sys
import tempfile

from examples import family
from examples.world import Town, today
from issuers.service import BackgroundServer, bind_socket
from vc.holder import match_dcql, plan_presentation, present
from verifier import Policy, TrustEntry, TrustList
from verifier.requests import VerifierIdentity

from .app import COMPANY, Screening, create_app


def main() -> int:
    with tempfile.TemporaryDirectory() as folder, Town.open(folder, issuers=("city",)) as town:
        town.issue_to_wallet("city", "ResidentRecord", family.resident_record())
        town.issue_to_wallet("city", "ResidentTaxCertificate", family.resident_tax_certificate(today()))

        # the company trusts the municipality for these two certificates, and nobody else for anything
        city = town.institution("city")
        trust = TrustList((TrustEntry(types={"https://w3id.org/jitsuin/vct/ResidentRecord/v1",
                                             "https://w3id.org/jitsuin/vct/ResidentTaxCertificate/v1"},
                                      did=city.did, name=dict(city.spec.name)),))
        policy = Policy(trust_list=trust, resolver=town.resolver, status_checker=town.checker)
        sock = bind_socket()
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        app = create_app(VerifierIdentity(url, name=dict(COMPANY)), policy)
        with BackgroundServer(app, sock=sock):
            created = town.http.post(url + "/applications", headers={"Accept": "application/json"}).json()

            request = town.wallet.open_request(created["link"])
            plan = plan_presentation(match_dcql(request.dcql_query, town.store.credentials()))
            print(f"{request.verifier_display_name('en')} asks (unsigned request: {not request.verified}): "
                  f"{request.purpose_text('en')}")
            for item in plan.credentials:
                print(f"  sends from {item.credential.display_name('en')}: "
                      + ", ".join(".".join(map(str, p)) for p in item.disclosed if p != ("sub",)))
            present(town.store, town.wallet, request, plan)

            result = town.http.get(created["result_url"],
                                   headers={"Authorization": f"Bearer {created['result_token']}"}).json()
        screening = result["outcome"]["screening"]
        print(f"income of at least 3,000,000 yen: {screening['income_at_least_3m']} (the amount was not disclosed)")
        print(f"resident of Tokyo: {screening['resident_of_tokyo']} (fiscal year {screening['fiscal_year']})")
        accepted = Screening(**screening).accepted
        print("application accepted" if accepted else "application not eligible")
        return 0 if accepted else 1


if __name__ == "__main__":
    sys.exit(main())
