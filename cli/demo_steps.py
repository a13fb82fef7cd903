"""The five steps of ``jitsuin demo``, each printed in plain words (Japanese, with English) and checked.

A step that does not behave as expected says what was expected and what happened, and the demo exits 1.
Machine time is measured per procedure from the verifier's request to the verified form, without the
time the resident takes to decide.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from examples import family
from examples.world import JST, Town, filled_form, today
from vc.did import did_jwk, did_key
from vc.errors import WalletError
from vc.holder import (
    PRESENTED,
    REFUSED,
    REJECTED,
    HistoryEntry,
    PresentationPlan,
    PresentationRequest,
    StoredCredential,
)
from vc.holder.claims import TECHNICAL_CLAIMS, credential_document
from verifier.procedures import FilledForm

__all__ = ["Walkthrough"]

_OUTCOMES = {PRESENTED: "提示 presented", REJECTED: "不受理 refused by the verifier", REFUSED: "辞退 declined"}


@dataclass
class Answer:
    """How one presentation request went: consent given or not, the staff's result, the wallet's error."""

    consented: bool
    result: Mapping[str, Any]
    error: WalletError | None = None
    plan: PresentationPlan | None = None
    seconds: float = 0.0

    @property
    def outcome(self) -> Mapping[str, Any]:
        return self.result.get("outcome") or {}


@dataclass
class Walkthrough:
    """Runs the steps against a started :class:`~examples.world.Town` and keeps what went wrong."""

    town: Town
    ask: Callable[[str], bool] | None = None  # None: consent given automatically
    echo: Callable[[str], None] = print
    failures: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    born: date = field(default_factory=lambda: today() - timedelta(days=3))
    offers: dict[str, Mapping[str, Any]] = field(default_factory=dict)  # by type: what the staff handed over

    # --- printing and checking ----------------------------------------------------------------

    def say(self, text: str = "", indent: int = 0) -> None:
        for line in text.splitlines() or [""]:
            self.echo(" " * indent + line)

    def heading(self, number: int, ja: str, en: str) -> None:
        self.say()
        self.say(f"{number}. {ja} / {en}")

    def expect(self, ok: bool, expected: str, got: str = "") -> bool:
        """Record an expectation; print it when it fails."""
        if not ok:
            self.failures.append(expected)
            self.say(f"✗ 期待と異なります / not as expected: {expected}" + (f" (got: {got})" if got else ""), 3)
        return ok

    # --- the steps ----------------------------------------------------------------------------

    def setup(self) -> None:
        """Say what is running where."""
        self.say("準備 / Setting up: every service runs in this process on 127.0.0.1 (demo only: plain http, "
                 "unencrypted keys in a temporary folder)")
        for inst in self.town.institutions.values():
            self.say(f"発行者 issuer   {inst.spec.name['ja']} ({inst.spec.name['en']})  {inst.url}  {inst.did}", 3)
        name = self.town.verifier_name
        self.say(f"検証者 verifier {name.get('ja')} ({name.get('en')})  {self.town.verifier_url}  trusts each issuer "
                 "above for the certificates it issues", 3)
        self.say("ウォレット wallet  山田 花子 (Hanako Yamada): the holder library, an encrypted store "
                 f"({self.town.store_path.name})", 3)

    def birth_certificate(self) -> None:
        self.heading(1, "出生証明書の発行", "The hospital issues a birth certificate to the parent's wallet (OpenID4VCI)")
        stored = self.receive("hospital", "BirthCertificate", family.birth_certificate(self.born), show_offer=True)
        self.expect(stored.display_name("ja") == "出生証明書", "the wallet holds a 出生証明書", stored.display_name("ja"))
        self.expect(stored.issuer == self.town.institution("hospital").did, "issued by the hospital's DID",
                    str(stored.issuer))

    def birth_registration(self) -> None:
        self.heading(2, "出生届", "Birth registration at the municipality")
        self.say("まず区が住民票の写しを発行します / first the municipality issues the parent's resident record:", 3)
        self.receive("city", "ResidentRecord", family.resident_record())
        answer = self.procedure("birth-registration", "出生届 birth registration")
        if not answer.consented:
            return
        form = self.show_form(answer)
        if form is not None:
            self.expect(form.complete, "the 出生届 form is complete", ", ".join(form.missing))
            sources = {f.origin.credential_type for f in form.fields if f.origin is not None}
            self.expect({"BirthCertificateCredential", "ResidentRecordCredential"} <= sources,
                        "fields filled from both the birth certificate and the resident record", ", ".join(sources))

    def daycare(self) -> None:
        self.heading(3, "保育認定申請", "Daycare eligibility: only what the procedure needs, and a parent applying "
                                        "for the child through the Household")
        self.say("出生届の後、区が世帯・子の住民票・課税証明書を、勤務先が就労証明書を発行します / after the registration, "
                 "the municipality issues the household certificate, the daughter's resident record and the tax "
                 "certificate, the employer the employment certificate:", 3)
        self.receive("city", "Household", family.household(newborn=self.born))
        self.receive("city", "ResidentRecord", family.child_resident_record(self.born), subject={})
        self.receive("city", "ResidentTaxCertificate", family.resident_tax_certificate(today()))
        self.receive("employer", "EmploymentCertificate", family.employment_certificate(today()))
        answer = self.procedure("daycare-certification", "保育認定 daycare", withheld=("baseSalary",),
                                optional=("child",))
        if not answer.consented:
            return
        if not answer.outcome.get("verified"):
            return  # procedure() said what went wrong
        received = {c.get("query_id"): c for c in answer.outcome.get("credentials", [])}
        employment = received.get("employment", {}).get("claims", {})
        self.expect(bool(employment) and "baseSalary" not in employment,
                    "the verifier received the employment certificate without baseSalary", ", ".join(employment))
        form = self.show_form(answer)
        if form is None:
            return
        self.expect(form.complete, "the daycare form is complete", ", ".join(form.missing))
        schedule = form.field("applicant_schedule")
        self.expect(schedule is not None and schedule.text.startswith("週5日"),
                    "the working hours read as a schedule", schedule.text if schedule else "")
        self.household_link(received.get("household", {}).get("claims", {}), employment, received.get("child"),
                            form)

    def revocation(self) -> None:
        self.heading(4, "就労証明書の失効", "The employer revokes the employment certificate")
        employer = self.town.institution("employer")
        offer = self.offers["EmploymentCertificate"]
        found = self.town.issued_for("employer", offer)
        self.say(f"人事担当が交付記録を照会 / the employer's staff look up what offer {offer['offer_id']} became "
                 f"(GET /offers/{{id}}/credentials): {found['state']}, "
                 + ", ".join(f"{c['credentialId']} ({c['format']})" for c in found["credentials"]), 3)
        self.expect(found["state"] == "redeemed" and len(found["credentials"]) == 1,
                    "the employer's records name the one credential issued for the offer", str(found))
        for answer in self.town.revoke("employer", offer, reason="affiliation_changed"):
            self.say(f"{employer.spec.name['ja']} の人事担当が失効させました / the employer's staff revoked it "
                     f"(退職 affiliation_changed): {answer['credentialId']} -> {answer['status']}", 3)
        self.say(f"登録簿を更新し、ステータスリストを再公開 / registry updated, status list republished at "
                 f"{employer.url}/status/", 3)
        # a verifier keeps a status list for its ttl (5 minutes here); the demo's verifier reads it again now
        self.town.checker.clear()
        self.say("同じ保育認定の要求にもう一度答えます / the same daycare request again:", 3)
        result = self.procedure("daycare-certification", "保育認定（失効後） daycare after revocation",
                                expect_refusal=True, optional=("child",))
        if not result.consented:
            return
        codes = list(result.outcome.get("codes", []))
        failed = [c for c in result.outcome.get("checks", []) if not c.get("passed")]
        self.say(f"✗ 受理されませんでした / refused: {', '.join(codes)}", 3)
        for check in failed[:2]:
            self.say(f"理由 reason: {check.get('message')}", 5)
        self.expect("REVOKED" in codes, "the verifier refuses with REVOKED", ", ".join(codes))
        self.expect(result.error is not None and result.error.detail.get("error_code") == "REVOKED",
                    "the wallet is told REVOKED", str(result.error.detail if result.error else None))

    def history(self) -> None:
        self.heading(5, "開示履歴", "The resident's disclosure history (in the wallet: claim names, never values)")
        entries = self.town.history()
        for n, entry in enumerate(entries, 1):
            self.history_entry(n, entry)
        outcomes = [e.outcome for e in entries]
        self.expect(len(entries) == 3, "three entries (出生届, 保育認定, 保育認定 refused)", str(len(entries)))
        self.expect(all(not any("baseSalary" in c for d in e.credentials for c in d.claims) for e in entries),
                    "baseSalary disclosed to nobody")
        if self.ask is None:
            self.expect(outcomes == [PRESENTED, PRESENTED, REJECTED], "presented, presented, refused",
                        ", ".join(outcomes))

    def summary(self) -> None:
        self.say()
        self.say("機械時間 / machine time per procedure (request → consent → verified form, without the resident's "
                 "own time):")
        for name, seconds in self.timings:
            self.say(f"{name}: {seconds * 1000:.0f} ms", 3)
        if self.failures:
            self.say(f"✗ {len(self.failures)} step(s) did not behave as expected:")
            for failure in self.failures:
                self.say(f"- {failure}", 3)
        else:
            self.say("✓ すべての手順が期待どおりでした / every step behaved as expected")

    # --- the pieces ---------------------------------------------------------------------------

    def receive(self, issuer: str, type_name: str, claims: Mapping[str, Any], *, show_offer: bool = False,
                subject: Mapping[str, Any] | None = None) -> StoredCredential:
        """The institution's staff make an offer with a PIN; the wallet receives, checks and stores. ``subject``:
        the certificate is about that person (the child), not the wallet's holder."""
        offer = self.town.offer(issuer, type_name, claims, subject=subject)
        self.offers[type_name] = offer
        if show_offer:
            self.say("窓口: 受け取り用のリンクと PIN を渡します / the staff hand over an offer link and a PIN:", 3)
            self.say(f"offer: {offer['offer_uri']}", 5)
            self.say(f"PIN:   {offer['tx_code']} (別経路で / delivered separately, e.g. on paper)", 5)
        stored = self.town.receive(offer)
        # the wallet shows the issuer's name in the resident's language (the issuer's metadata names it in ja and en)
        self.say(f"✓ ウォレットが受け取り検証しました / the wallet received and verified: {stored.display_name('ja')} "
                 f"({stored.display_name('en')}), 発行者 issuer {stored.issuer_display_name('ja')} "
                 f"({stored.issuer_display_name('en')}), {stored.format}, bound to a key of the wallet", 3)
        if subject is not None:
            sub = self.subject_of(stored)
            self.say(f"この証明書は子 {claims.get('familyName')} {claims.get('givenName')} についてのものです（保有者は親）"
                     f" / about the child, held by the parent: sub {sub}, not the wallet's key", 5)
            self.expect(isinstance(sub, str) and sub == offer.get("subject", {}).get("id"),
                        "the certificate names the child as its subject (sub)", str(sub))
        return stored

    def procedure(self, procedure_id: str, label: str, *, withheld: Sequence[str] = (),
                  expect_refusal: bool = False, optional: Sequence[str] = ()) -> Answer:
        """Request -> the wallet shows it -> consent -> presentation -> the staff's result. ``optional``: the
        credential queries of optional sets the resident answers too."""
        started = time.perf_counter()
        created = self.town.request(procedure_id)
        request = self.town.open_request(created["link"])
        plan = self.town.plan(request, optional=optional)
        shown = time.perf_counter()
        self.show_request(request, plan, withheld)
        consented = self.consent()
        resumed = time.perf_counter()
        error = None
        if consented:
            try:
                self.town.present(request, plan)
            except WalletError as exc:
                error = exc
        else:
            self.town.decline(request)
        result = self.town.result(created)
        seconds = (shown - started) + (time.perf_counter() - resumed)
        self.timings.append((label, seconds))
        answer = Answer(consented, result, error, plan, seconds)
        if not consented:
            codes = answer.outcome.get("codes", [])
            self.say("辞退しました: 何も送っていません / declined: nothing was sent; the verifier was told "
                     f"access_denied ({', '.join(codes)})", 3)
            self.expect("WALLET_ERROR" in codes, "the verifier records the refusal", ", ".join(codes))
        elif not expect_refusal:
            self.expect(error is None and bool(answer.outcome.get("verified")), f"the {label} presentation verifies",
                        error.message if error else ", ".join(answer.outcome.get("codes", [])))
        self.say(f"機械時間 machine time: {seconds * 1000:.0f} ms (request → consent → "
                 f"{'refusal' if expect_refusal else 'verified form'})", 3)
        return answer

    def show_request(self, request: PresentationRequest, plan: PresentationPlan, withheld: Sequence[str]) -> None:
        """What the wallet shows the resident before they decide."""
        self.say("ウォレットの表示 / the wallet shows:", 3)
        signed = "署名を確認済み / signed, signature verified" if request.verified else "未署名 / unsigned"
        self.say(f"依頼者 verifier: {request.verifier_display_name('ja')} ({request.verifier_display_name('en')}) "
                 f"at {request.verifier_host}, {signed}", 5)
        self.say(f"目的 purpose:    {request.purpose_text('ja')}", 5)
        self.say(f"                {request.purpose_text('en')}", 5)
        self.say("送る項目 claims to be sent (※ = sensitive):", 5)
        for item in plan.credentials:
            stored = item.credential
            labels = [_label(stored, line.path) + ("※" if line.sensitive else "")
                      for line in item.claims if line.selected and line.path != ("sub",)]
            self.say(f"{stored.display_name('ja')} ({stored.issuer_display_name('ja')}): {'、'.join(labels)}", 7)
            if self.subject_of(stored) is not None:
                self.say("→ 子についての証明書: 世帯（世帯全員の住民票の写し）と一緒に送ります / about the child, not the "
                         "holder: sent with the Household that links the two", 9)
            kept = self.withheld_claims(stored, item.disclosed)
            if kept:
                self.say(f"送らない項目 withheld: {'、'.join(kept)}", 9)
            for name in withheld:
                if stored.format == "dc+sd-jwt" and name in credential_document(stored):
                    sent = any(path and path[0] == name for path in item.disclosed)
                    self.expect(not sent, f"{name} is not disclosed")
                    label = stored.label_for((name,))
                    self.say(f"→ {label.label('ja') if label else name}（{name}）は証明書に記載されていますが、"
                             "この手続に不要なので送りません", 9)
                    self.say(f"  {name} is in the certificate, but this procedure does not need it: withheld", 9)

    def subject_of(self, stored: StoredCredential) -> str | None:
        """The ``sub`` of a credential about someone other than the wallet's holder (None: about the holder)."""
        sub = credential_document(stored).get("sub")
        if not isinstance(sub, str):
            return None
        public = self.town.store.key(stored.key_id).public
        return None if sub in (did_key(public), did_jwk(public)) else sub

    def withheld_claims(self, stored: StoredCredential, disclosed: Iterable[tuple[Any, ...]]) -> list[str]:
        """Labels of the credential's own claims that stay in the wallet."""
        if stored.format != "dc+sd-jwt":
            return []
        sent = {path[0] for path in disclosed if path}
        order = {c.path[0]: i for i, c in enumerate(stored.claims) if len(c.path) == 1}
        out = []
        for name in sorted(credential_document(stored), key=lambda n: (order.get(n, len(order)), n)):
            if name in TECHNICAL_CLAIMS or name in sent or name == "sub":
                continue
            out.append(_label(stored, (name,)))
        return out

    def consent(self) -> bool:
        if self.ask is None:
            self.say("同意 consent: はい / yes (automatic; `jitsuin demo --interactive` asks you)", 3)
            return True
        return self.ask("   この内容で送りますか？ / Send these claims?")

    def show_form(self, answer: Answer) -> FilledForm | None:
        """The verifier's staff see the verified, pre-filled form: each field with its source credential."""
        data = answer.outcome.get("form")
        if not self.expect(isinstance(data, Mapping), "the verifier filled the procedure's form"):
            return None
        self.say("✓ 検証済み。記入済みの様式 / verified; the pre-filled form (出典 = source credential and issuer):", 3)
        self.say(self.town.render(data), 5)
        return filled_form(data)

    def household_link(self, household: Mapping[str, Any], applicant: Mapping[str, Any],
                       child: Mapping[str, Any] | None, form: FilledForm) -> None:
        """The parent applies for the child: the child's certificate is about someone other than the holder, and
        the verifier accepted it only because the Household presented with it links the two."""
        members = household.get("members", []) if isinstance(household.get("members"), list) else []
        me = next((m for m in members if m.get("familyName") == applicant.get("familyName")
                   and m.get("givenName") == applicant.get("givenName")
                   and m.get("birthDate") == applicant.get("birthDate")), None)
        self.say("世帯による代理申請 / a parent applying for the child through the Household:", 3)
        self.say(f"申請者 applicant {applicant.get('familyName')} {applicant.get('givenName')} is in the household as "
                 f"{me.get('relationshipToHouseholder') if me else '?'} (世帯員 member)", 5)
        self.expect(me is not None, "the applicant is a member of the presented household")
        if not self.expect(child is not None, "the verifier received the child's resident record"):
            return
        assert child is not None
        link = str(child.get("link") or "")
        name = " ".join(str(child.get("claims", {}).get(k, "")) for k in ("familyName", "givenName"))
        if link.startswith("household:"):
            self.say(f"子 (child) {name} の住民票の写し: 保有者（親）ではない人についての証明書 / about someone other "
                     "than the holder (its sub is not the wallet's key)", 5)
            self.say(f"✓ 子 (child) linked to the applicant through 世帯 Household ✓ (続柄 {link.partition(':')[2]}: the "
                     "verifier matched the child's familyName, givenName and birthDate with a member of the verified "
                     "Household the applicant holds)", 5)
        self.expect(link == "household:子",
                    "the verifier accepted the child's certificate through the Household link (household:子)",
                    link or "no link")
        filled = form.field("child_given_name")
        self.expect(filled is not None and filled.text == family.SAKURA_NAME,
                    "the form names the child being certified", filled.text if filled else "")

    def history_entry(self, number: int, entry: HistoryEntry) -> None:
        at = entry.at.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S JST")
        code = entry.response.get("error_code")
        self.say(f"{number}. {at}  {entry.verifier_display_name('ja')}  {_OUTCOMES.get(entry.outcome, entry.outcome)}"
                 + (f" ({code})" if code else ""), 3)
        self.say(f"目的 purpose: {entry.purpose_text('ja')[:60]}…", 6)
        for shown in entry.credentials:
            claims = [c for c in shown.claims if c != "sub"]
            names = list(dict.fromkeys(c.split(".")[0].split("[")[0] for c in claims))
            self.say(f"{shown.name.get('ja', shown.query_id)} ({self.town.name_of(shown.issuer)}): "
                     f"{len(claims)} claims in {', '.join(names)}", 6)


def _label(stored: StoredCredential, path: Sequence[Any]) -> str:
    """A claim's label, after its top-level claim's when that adds something (母の氏名・氏 for mother.familyName,
    but 子の氏 for child.familyName); the path when the issuer gave no label."""
    names = [p for p in path if isinstance(p, str)]
    leaf, top = stored.label_for(names), stored.label_for(names[:1])
    if leaf is None:
        return top.label("ja") if top is not None else ".".join(names)
    text = leaf.label("ja")
    if len(names) > 1 and top is not None and top.label("ja") not in text:
        text = f"{top.label('ja')}・{text}"
    return text
