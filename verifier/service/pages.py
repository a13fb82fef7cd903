"""HTML for the staff pages (Japanese first, English beside it), as small string templates:
every value goes through ``html.escape``.

- ``login_page``: the staff token form (the token is posted once and kept in an HttpOnly cookie)
- ``procedures_page``: the procedures, each with a button that starts a request
- ``request_page``: the QR code (inline SVG) and link for the resident, and a status line the
  page's script updates by polling the result endpoint; the filled form appears below it
- ``form_fragment``: the pre-filled form (each field with the credential it came from), or why
  the response was refused
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

__all__ = ["form_fragment", "login_page", "procedures_page", "request_page"]

_STYLE = """
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:2rem;color:#1a1a1a;max-width:60rem}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}.en{color:#555;font-size:.9em}
.qr svg{width:18rem;height:18rem}.status{padding:.5rem 1rem;background:#f1f4f8;border-radius:.3rem}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccd;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f7f9}.source{color:#555;font-size:.85em}.source .issuer{word-break:break-all}
.refused{color:#a00}.link{word-break:break-all;font-size:.8em}.missing{color:#a00}
button{font-size:1rem;padding:.4rem 1rem}input[type=password]{font-size:1rem;padding:.3rem .4rem;margin:.3rem 0 .8rem}
li form{margin-bottom:1rem}
"""


def _bilingual(texts: Mapping[str, str] | str | None, *, tag: str = "span") -> str:
    if not texts:
        return ""
    if isinstance(texts, str):
        return escape(texts)
    ja, en = texts.get("ja"), texts.get("en")
    out = escape(ja or en or "")
    if ja and en:
        out += f' <{tag} class="en" lang="en">{escape(en)}</{tag}>'
    return out


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def login_page(verifier_name: Mapping[str, str], *, action: str, next_path: str, invalid: bool = False) -> str:
    """The staff login form: a staff token posted to ``action``, then back to ``next_path``."""
    error = ('<p class="refused" role="alert">トークンが正しくありません '
             '<span class="en" lang="en">The token is not valid</span></p>') if invalid else ""
    body = (
        f"<h1>{_bilingual(verifier_name)}</h1>"
        '<h2>職員ログイン <span class="en" lang="en">Staff login</span></h2>'
        f'{error}<form method="post" action="{escape(action)}">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        '<label>職員トークン <span class="en" lang="en">Staff token</span><br>'
        '<input type="password" name="token" autocomplete="off" required size="50"></label><br>'
        '<button type="submit">ログイン <span class="en" lang="en">Log in</span></button></form>'
    )
    return _page("職員ログイン / Staff login", body)


def procedures_page(verifier_name: Mapping[str, str], procedures: Iterable[tuple[str, Mapping[str, str], Mapping[str, str]]],
                    *, action: str, logout: str | None = None) -> str:
    """The list of procedures (id, name, purpose), each starting a request with a POST form to ``action``."""
    rows = []
    for pid, name, purpose in procedures:
        rows.append(
            f'<li><form method="post" action="{escape(action)}"><input type="hidden" name="procedure" value="{escape(pid)}">'
            f"<strong>{_bilingual(name)}</strong><br><span>{_bilingual(purpose)}</span><br>"
            '<button type="submit">提示を依頼する <span class="en" lang="en">Request credentials</span></button>'
            "</form></li>"
        )
    items = "\n".join(rows) or "<li>手続きがありません <span class=\"en\" lang=\"en\">No procedures configured</span></li>"
    body = (
        f"<h1>{_bilingual(verifier_name)}</h1>"
        '<h2>手続き <span class="en" lang="en">Procedures</span></h2>'
        f"<ul>{items}</ul>"
    )
    if logout:
        body += (f'<form method="post" action="{escape(logout)}"><button type="submit">ログアウト '
                 '<span class="en" lang="en">Log out</span></button></form>')
    return _page("手続き / Procedures", body)


_POLL_SCRIPT = """
<script>
(function () {
  var params = new URLSearchParams(location.hash.slice(1));
  var token = params.get("token");
  var status = document.getElementById("status");
  var form = document.getElementById("form");
  var labels = %(labels)s;
  if (!token) { status.textContent = labels.notoken; return; }
  function poll() {
    fetch(%(result_url)s, {headers: {"Authorization": "Bearer " + token}})
      .then(function (r) { return r.json(); })
      .then(function (j) {
        status.textContent = labels[j.status] || j.status;
        status.dataset.status = j.status;
        if (j.status === "complete") {
          return fetch(%(form_url)s, {headers: {"Authorization": "Bearer " + token}, credentials: "same-origin"})
            .then(function (r) {
              if (r.status === 401) { status.textContent = labels.login; return ""; }
              return r.text();
            })
            .then(function (html) { form.innerHTML = html; });
        }
        if (j.status !== "expired") { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
</script>
"""

_STATUS_LABELS = {
    "pending": "QRコードの読み取りを待っています / Waiting for the wallet to scan the QR code",
    "fetched": "ウォレットが依頼を読み込みました。同意を待っています / The wallet has the request; waiting for consent",
    "verifying": "検証中です / Verifying",
    "complete": "受信しました / Received",
    "expired": "有効期限が切れました。もう一度依頼してください / The request expired; start a new one",
    "notoken": "このページは依頼を作成した画面からのみ結果を表示します / Only the page that created the request shows its result",
    "login": "職員ログインが切れました。ログインし直してください / The staff session ended; log in again",
}


def request_page(
    *,
    verifier_name: Mapping[str, str],
    procedure_name: Mapping[str, str] | None,
    purpose: Mapping[str, str],
    qr_svg: str,
    link: str,
    result_url: str,
    form_url: str,
    expires_at: str,
) -> str:
    """The page the staff shows the resident: QR code, link, purpose; then the filled form."""
    title = procedure_name or {"ja": "提示の依頼", "en": "Presentation request"}
    body = (
        f'<h1>{_bilingual(title)}</h1><p>{_bilingual(verifier_name)}</p>'
        f'<h2>目的 <span class="en" lang="en">Purpose</span></h2><p class="purpose">{_bilingual(purpose)}</p>'
        '<h2>ウォレットで読み取ってください <span class="en" lang="en">Scan with your wallet</span></h2>'
        f'<div class="qr">{qr_svg}</div>'
        f'<p class="link"><a href="{escape(link)}">{escape(link)}</a></p>'
        f'<p>有効期限 <span class="en" lang="en">Expires</span>: <time>{escape(expires_at)}</time></p>'
        f'<p id="status" class="status" role="status">{escape(_STATUS_LABELS["pending"])}</p>'
        '<h2>申請書 <span class="en" lang="en">Application form</span></h2><div id="form"></div>'
    )
    script = _POLL_SCRIPT % {
        "labels": json.dumps(_STATUS_LABELS, ensure_ascii=False),
        "result_url": json.dumps(result_url),
        "form_url": json.dumps(form_url),
    }
    return _page(f"{(title.get('ja') or title.get('en') or '')} / QR", body + script)


def _value(value: Any) -> str:
    if value is None:
        return '<span class="missing">—</span>'
    if isinstance(value, (dict, list)):
        return escape(json.dumps(value, ensure_ascii=False))
    return escape(str(value))


def _field_value(field: Mapping[str, Any]) -> str:
    """How a person reads the value (the form's rendered ``texts``: Japanese, English beside it when it
    differs), else the value as disclosed."""
    if field.get("value") is None:
        return _value(None)
    texts = field.get("texts")
    if isinstance(texts, Mapping) and (texts.get("ja") or texts.get("en")):
        ja, en = texts.get("ja"), texts.get("en")
        return _bilingual({k: str(v) for k, v in (("ja", ja), ("en", en if en != ja else None)) if v})
    if isinstance(field.get("text"), str) and field["text"]:
        return escape(field["text"])
    return _value(field.get("value"))


def _source(source: Any) -> str:
    """The credential a field came from: its type and claim path, then its issuer on a line of its own."""
    if not source:
        return ""
    if isinstance(source, Mapping):
        first = " · ".join(str(source[k]) for k in ("type", "path") if source.get(k))
        issuer = f'<br><span class="issuer">{escape(str(source["issuer"]))}</span>' if source.get("issuer") else ""
        return escape(first) + issuer
    return escape(str(source))


def form_fragment(outcome: Mapping[str, Any]) -> str:
    """The filled form as an HTML table (label ja/en, value, source), or the refusal and its codes."""
    if not outcome.get("verified"):
        codes = ", ".join(escape(str(c)) for c in outcome.get("codes", []))
        return (f'<p class="refused" data-verified="false">提示は受け付けられませんでした '
                f'<span class="en" lang="en">The presentation was refused</span>: <code>{codes}</code></p>')
    rows = []
    form = outcome.get("form")
    fields = form.get("fields") if isinstance(form, Mapping) else None
    if isinstance(fields, list):
        for f in fields:
            if not isinstance(f, Mapping):
                continue
            label = f.get("label") or f.get("name") or f.get("id")
            rows.append(
                f'<tr data-field="{escape(str(f.get("id") or f.get("name") or ""))}"><th>{_bilingual(label)}</th>'
                f"<td>{_field_value(f)}</td><td class=\"source\">{_source(f.get('source'))}</td></tr>"
            )
    else:
        for cred in outcome.get("credentials", []):
            for path, value in _flatten(cred.get("claims", {})):
                rows.append(
                    f'<tr data-field="{escape(path)}"><th>{escape(path)}</th><td>{_value(value)}</td>'
                    f'<td class="source">{escape(" · ".join(str(t) for t in cred.get("types", [])[-1:]))} · '
                    f'{escape(str(cred.get("issuer") or ""))}</td></tr>'
                )
    head = ('<tr><th>項目 <span class="en" lang="en">Field</span></th><th>内容 <span class="en" lang="en">Value</span></th>'
            '<th>出典 <span class="en" lang="en">Source</span></th></tr>')
    return f'<table data-verified="true">{head}{"".join(rows)}</table>'


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, Mapping):
        out: list[tuple[str, Any]] = []
        for k, v in value.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return [(prefix, value)]
