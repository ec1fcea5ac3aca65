"""Reading a certificate PDF back: its text, its link, and the QR symbol in it.

The QR check needs no QR decoder: the symbol segno makes for a text is fixed
(version, mask and modules follow from the text and the error level), so the
image found in the PDF is sampled module by module and compared with the
symbol of the expected URL. It matches only if the image encodes that URL.
"""

from __future__ import annotations

import io

import segno
from PIL import Image, ImageOps
from pypdf import PdfReader


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def text(pdf: bytes) -> str:
    """The text of every page, whitespace runs made single spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in read(pdf).pages)


def link_uris(pdf: bytes) -> list[str]:
    """The URIs of the link annotations (clickable areas) of every page, each once
    (WeasyPrint gives a link around an image one area for the link and one for the image)."""
    uris = []
    for page in read(pdf).pages:
        for annotation in page.get("/Annots") or []:
            target = annotation.get_object()
            if target.get("/Subtype") == "/Link" and "/A" in target:
                uri = str(target["/A"].get("/URI"))
                if uri not in uris:
                    uris.append(uri)
    return uris


def images(pdf: bytes) -> list[Image.Image]:
    return [found.image for page in read(pdf).pages for found in page.images]


def modules(image: Image.Image, size: int) -> list[list[int]]:
    """The `size` × `size` grid of dark (1) and light (0) modules of the symbol in `image`."""
    grey = image.convert("L")
    box = ImageOps.invert(grey).point(lambda v: 255 if v > 127 else 0).getbbox()
    assert box is not None, "the image has no dark pixels"
    left, top, right, bottom = box
    step_x, step_y = (right - left) / size, (bottom - top) / size
    return [
        [
            1
            if grey.getpixel((int(left + (col + 0.5) * step_x), int(top + (row + 0.5) * step_y)))
            < 128
            else 0
            for col in range(size)
        ]
        for row in range(size)
    ]


def encodes(image: Image.Image, url: str) -> bool:
    """Whether `image` holds exactly the QR symbol of `url` (at any error level)."""
    for error in "lmqh":
        expected = [list(row) for row in segno.make_qr(url, error=error).matrix]
        if modules(image, len(expected)) == expected:
            return True
    return False
