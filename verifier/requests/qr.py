"""QR codes for request links: inline SVG (no image library) and terminal text.

>>> svg = qr_svg("openid4vp://?client_id=...&request_uri=...")   # '<svg ...>...</svg>'
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

__all__ = ["qr_svg", "qr_text"]


def _code(data: str) -> qrcode.QRCode:
    # level M survives a smudged screen; request links by reference are short, so the code stays small
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=10)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_svg(data: str, *, title: str | None = None) -> str:
    """An ``<svg>`` element (one path, scalable) encoding ``data``; ``title`` becomes its accessible name."""
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buf = io.BytesIO()
    image.save(buf)
    svg = buf.getvalue().decode("utf-8")
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg  # drop the XML declaration: the SVG is inlined in HTML
    if title:
        from html import escape

        head_end = svg.find(">") + 1
        svg = svg[:head_end] + f"<title>{escape(title)}</title>" + svg[head_end:]
        svg = svg.replace("<svg", '<svg role="img"', 1)
    return svg


def qr_text(data: str) -> str:
    """The QR code as text (two module rows per line) for a terminal."""
    matrix = _code(data).get_matrix()
    lines = []
    for y in range(0, len(matrix), 2):
        top, bottom = matrix[y], matrix[y + 1] if y + 1 < len(matrix) else [False] * len(matrix[y])
        lines.append("".join("█" if t and b else "▀" if t else "▄" if b else " " for t, b in zip(top, bottom)))
    return "\n".join(lines)
