"""Credential offers as QR codes: for the terminal (Unicode half blocks), PNG and SVG files.

A wallet scans the code at the counter; the PIN (``tx_code``) is told to the resident separately, never put
in the code. Error correction level M: a printed or screen-photographed code still reads.
"""

from __future__ import annotations

import io
import os

import qrcode
import qrcode.constants
import qrcode.image.pure
import qrcode.image.svg

__all__ = ["qr_png", "qr_svg", "qr_text"]


def _qr(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    return code


def qr_text(data: str) -> str:
    """The QR code as text for a terminal (two modules per character row; dark on light)."""
    out = io.StringIO()
    _qr(data).print_ascii(out=out, invert=True)
    return out.getvalue()


def qr_png(data: str, path: str | os.PathLike[str], *, box_size: int = 8) -> None:
    """Write the QR code as a PNG file."""
    code = _qr(data)
    code.box_size = box_size
    image = code.make_image(image_factory=qrcode.image.pure.PyPNGImage)
    with open(path, "wb") as handle:
        image.save(handle)


def qr_svg(data: str, path: str | os.PathLike[str]) -> None:
    """Write the QR code as an SVG file (one path: scales without blur)."""
    image = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    with open(path, "wb") as handle:
        image.save(handle)
