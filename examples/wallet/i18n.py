"""The wallet's words in Japanese and English, and the messages for the library's error codes.

The language comes from ``?lang=`` (remembered in a cookie), else Japanese.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import Request

__all__ = ["LANGS", "TEXTS", "error_text", "request_lang", "translator"]

LANGS = ("ja", "en")

TEXTS: Mapping[str, Mapping[str, str]] = {
    "app": {"ja": "わたしの証明書", "en": "My credentials"},
    "nav.credentials": {"ja": "証明書", "en": "Credentials"},
    "nav.receive": {"ja": "受け取る", "en": "Receive"},
    "nav.present": {"ja": "提示する", "en": "Present"},
    "nav.history": {"ja": "履歴", "en": "History"},
    "lang.other": {"ja": "English", "en": "日本語"},
    "credentials.title": {"ja": "わたしの証明書", "en": "My credentials"},
    "credentials.empty": {"ja": "まだ証明書がありません。発行元から受け取った案内のリンクで受け取れます。",
                          "en": "No credentials yet. Receive one with the link your issuer gave you."},
    "credentials.received": {"ja": "受取日", "en": "Received"},
    "credential.issuer": {"ja": "発行元", "en": "Issuer"},
    "credential.issuer_id": {"ja": "発行元の識別子", "en": "Issuer identifier"},
    "credential.format": {"ja": "形式", "en": "Format"},
    "credential.received_at": {"ja": "受け取った日時", "en": "Received at"},
    "credential.valid_until": {"ja": "有効期限", "en": "Valid until"},
    "credential.status": {"ja": "状態の確認", "en": "Status checked"},
    "credential.status_never": {"ja": "未確認", "en": "Not checked yet"},
    "credential.claims": {"ja": "記載事項", "en": "Contents"},
    "credential.sd": {"ja": "この証明書は、提示するときに項目を選べます。",
                      "en": "You can choose which items to show when presenting this credential."},
    "credential.not_sd": {"ja": "この証明書は、提示するとすべての項目が相手に渡ります。",
                          "en": "Presenting this credential shows every item in it."},
    "credential.shown_to": {"ja": "この証明書を提示した相手", "en": "Shown to"},
    "credential.just_received": {"ja": "証明書を受け取りました。", "en": "The credential was received."},
    "receive.title": {"ja": "証明書を受け取る", "en": "Receive a credential"},
    "receive.link": {"ja": "発行元から受け取ったリンク（QRコードの内容）",
                     "en": "The link from your issuer (the QR code's content)"},
    "receive.next": {"ja": "次へ", "en": "Next"},
    "receive.offer_from": {"ja": "次の発行元から証明書が届いています", "en": "A credential is offered by"},
    "receive.pin": {"ja": "暗証番号（PIN）", "en": "PIN"},
    "receive.pin_help": {"ja": "窓口や郵送で伝えられた番号を入力してください。",
                         "en": "Enter the number you were given at the counter or by post."},
    "receive.accept": {"ja": "受け取る", "en": "Receive"},
    "present.title": {"ja": "証明書の提示", "en": "Present credentials"},
    "present.link": {"ja": "提示を求めるリンク（QRコードの内容）", "en": "The request link (the QR code's content)"},
    "present.open": {"ja": "開く", "en": "Open"},
    "consent.title": {"ja": "提示の依頼", "en": "Presentation request"},
    "consent.who": {"ja": "依頼元", "en": "Requested by"},
    "consent.identifier": {"ja": "識別子", "en": "Identifier"},
    "consent.verified": {"ja": "署名で確認済みの依頼元です", "en": "Identity confirmed by signature"},
    "consent.unverified": {"ja": "依頼元の身元は確認できません。送信先を確かめてください。",
                           "en": "The requester's identity is not confirmed. Check where the answer goes."},
    "consent.sends_to": {"ja": "送信先", "en": "Answer goes to"},
    "consent.purpose": {"ja": "利用目的", "en": "Purpose"},
    "consent.no_purpose": {"ja": "（利用目的の記載がありません）", "en": "(no purpose given)"},
    "consent.will_send": {"ja": "提示する証明書と項目", "en": "What will be shown"},
    "consent.required": {"ja": "必須", "en": "Required"},
    "consent.optional": {"ja": "任意", "en": "Optional"},
    "consent.always": {"ja": "あわせて渡る項目（証明書の仕組み上、分けられません）",
                       "en": "Also shown (the credential cannot separate these)"},
    "consent.not_needed": {"ja": "今回は送信されません", "en": "Not sent this time"},
    "consent.sensitive": {"ja": "要配慮", "en": "Sensitive"},
    "consent.sensitive_help": {"ja": "「要配慮」は特に慎重に扱うべき情報です。", "en": "Sensitive items need special care."},
    "consent.not_sd": {"ja": "この形式の証明書は項目を選べないため、すべての記載事項が相手に渡ります。",
                       "en": "This credential's format cannot hide items: everything in it is shown."},
    "consent.choose": {"ja": "どちらかを選んでください", "en": "Choose one"},
    "consent.which_credential": {"ja": "使う証明書を選んでください", "en": "Choose the credential to use"},
    "consent.which_help": {"ja": "この依頼に応えられる証明書が複数あります。下の項目は選んだ証明書の内容です。",
                           "en": "Several of your credentials answer this request. The items below are "
                                 "those of the one you choose."},
    "consent.about_holder": {"ja": "本人", "en": "You"},
    "consent.about_other": {"ja": "本人以外", "en": "Someone else"},
    "consent.subject_name": {"ja": "氏名", "en": "Name"},
    "consent.issued": {"ja": "発行日", "en": "Issued"},
    "consent.received": {"ja": "受取日", "en": "Received"},
    "consent.show_choice": {"ja": "この証明書の項目を表示", "en": "Show this credential's items"},
    "consent.update": {"ja": "選択を反映", "en": "Update"},
    "consent.approve": {"ja": "同意して提示する", "en": "Agree and present"},
    "consent.decline": {"ja": "提示しない", "en": "Decline"},
    "consent.expires": {"ja": "この依頼の期限", "en": "This request expires"},
    "consent.missing": {"ja": "この依頼に応える証明書がありません。", "en": "You hold no credential that answers this request."},
    "done.presented": {"ja": "提示しました。相手が受け付けました。", "en": "Presented. The verifier accepted it."},
    "done.refused": {"ja": "提示をお断りしました。何も送信していません。",
                     "en": "You declined. Nothing was sent."},
    "done.to_history": {"ja": "履歴を見る", "en": "See the history"},
    "history.title": {"ja": "提示の履歴", "en": "Disclosure history"},
    "history.empty": {"ja": "まだ提示したことはありません。", "en": "Nothing shown yet."},
    "history.export": {"ja": "履歴をJSONで書き出す", "en": "Export as JSON"},
    "history.presented": {"ja": "提示", "en": "Presented"},
    "history.rejected": {"ja": "不受理", "en": "Not accepted"},
    "history.refused": {"ja": "拒否", "en": "Declined"},
    "history.claims": {"ja": "渡した項目", "en": "Items shown"},
    "history.nothing": {"ja": "何も渡していません", "en": "Nothing was shown"},
    "error.title": {"ja": "エラー", "en": "Error"},
    "error.back": {"ja": "戻る", "en": "Back"},
}

# what each library error code means to the resident (the library message goes below, in English)
ERRORS: Mapping[str, Mapping[str, str]] = {
    "TOKEN_REFUSED": {"ja": "受け取れませんでした。暗証番号（PIN）が違うか、案内の有効期限が切れています。",
                      "en": "Could not receive: the PIN is wrong or the offer has expired."},
    "TX_CODE_REQUIRED": {"ja": "暗証番号（PIN）を入力してください。", "en": "Enter the PIN."},
    "OFFER_INVALID": {"ja": "証明書の案内リンクとして読み取れません。", "en": "This is not a credential offer link."},
    "METADATA_INVALID": {"ja": "発行元の情報が正しくありません。", "en": "The issuer's information is not valid."},
    "CREDENTIAL_REFUSED": {"ja": "発行元が発行を断りました。", "en": "The issuer refused to issue the credential."},
    "HTTP_ERROR": {"ja": "発行元に接続できませんでした。", "en": "Could not reach the issuer."},
    "RESPONSE_INVALID": {"ja": "発行元の応答が正しくありません。", "en": "The issuer's answer is not valid."},
    "CREDENTIAL_REJECTED": {"ja": "届いた証明書を検証できなかったため、保存しませんでした。",
                            "en": "The credential did not verify, so it was not stored."},
    "METADATA_MISMATCH": {"ja": "届いた証明書が発行元の説明と一致しないため、保存しませんでした。",
                          "en": "The credential does not match what the issuer describes, so it was not stored."},
    "REQUEST_INVALID": {"ja": "提示の依頼として読み取れません。", "en": "This is not a valid presentation request."},
    "REQUEST_SIGNATURE_INVALID": {"ja": "依頼の署名を確認できなかったため、開きませんでした。",
                                  "en": "The request's signature did not verify, so it was not opened."},
    "REQUEST_UNSATISFIABLE": {"ja": "この依頼に応える証明書がありません。",
                              "en": "You hold no credential that answers this request."},
    "APPROVAL_REQUIRED": {"ja": "同意していない項目が必要になるため、送信しませんでした。提示してよい項目を選んでください。",
                          "en": "Nothing was sent: the answer would need an item you have not approved. "
                                "Choose what you agree to show."},
    "CREDENTIAL_CHOICE_INVALID": {"ja": "選んだ証明書はこの依頼に使えません。一覧から選び直してください。",
                                  "en": "The credential you chose does not answer this request. Choose again from "
                                        "the list."},
    "RESPONSE_FAILED": {"ja": "相手が提示を受け付けませんでした。", "en": "The verifier did not accept the presentation."},
    "WALLET_RECORD_NOT_FOUND": {"ja": "見つかりません。", "en": "Not found."},
    "WALLET_CORRUPT": {"ja": "ウォレットのファイルが壊れています。", "en": "The wallet file is damaged."},
}


def request_lang(request: Request) -> str:
    """``?lang=`` first, then the cookie, then Japanese."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "ja"
    return lang if lang in LANGS else "ja"


def translator(lang: str) -> Callable[[str], str]:
    """``t(key)`` for templates."""

    def t(key: str) -> str:
        texts = TEXTS.get(key)
        return texts.get(lang, texts["ja"]) if texts else key

    return t


def error_text(code: str, lang: str) -> str:
    """The resident's message for a library error code."""
    texts = ERRORS.get(code)
    if texts is None:
        return {"ja": "処理できませんでした。", "en": "Something went wrong."}[lang]
    return texts.get(lang, texts["ja"])
