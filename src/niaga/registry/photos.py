"""Product photos: checked, cleaned and resized before anything is stored.

An upload is accepted only if its *content* is a JPEG, PNG or WebP image (the
file name and the browser's content type are ignored), it is at most 5 MB,
and it has at most 40 megapixels. The pixel count is read from the header
before any pixel is decoded, so a small file that would expand into gigabytes
of memory (a "decompression bomb") is refused cheaply.

The stored images are re-encoded from the decoded pixels into a fresh image:
nothing of the original file survives but its pixels, so EXIF (camera, time,
GPS position), XMP, ICC profiles and comments are all gone. The EXIF
orientation is applied first, so a phone photo stays upright; a colour profile
is converted to sRGB first, so colours stay right without it. Two WebP files
are stored through Django's default storage: a display image (longest side at
most 1600 px) and a thumbnail (at most 400 px).
"""

from __future__ import annotations

import io
import math
import secrets
import threading
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_PHOTOS_PER_PRODUCT = 8
DISPLAY_SIDE = 1600
THUMBNAIL_SIDE = 400
DISPLAY_QUALITY = 82
THUMBNAIL_QUALITY = 80
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSION = "webp"
CONTENT_TYPE = "image/webp"

# Only for a clearer message about a refused file: Pillow is never asked to
# parse these formats (fewer parsers exposed to uploads).
_OTHER_FORMATS = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
)


@dataclass(frozen=True)
class ProcessedPhoto:
    display: bytes
    thumbnail: bytes
    width: int
    height: int
    source_format: str


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        position = upload.tell()
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(position)
    return size


def _other_format(head: bytes) -> str | None:
    for magic, name in _OTHER_FORMATS:
        if head.startswith(magic):
            return name
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "HEIC/AVIF"
    return None


def _damaged_error() -> ValidationError:
    return ValidationError(
        _("The photo is damaged or incomplete and cannot be read; upload it again."),
        code="photo_damaged",
    )


def _looks_accepted(head: bytes) -> bool:
    """The file starts like a JPEG, PNG or WebP (then a failure to read it is damage)."""
    return (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    )


def _type_error(head: bytes) -> ValidationError:
    if _looks_accepted(head):
        return _damaged_error()
    other = _other_format(head)
    if other:
        return ValidationError(
            _("The file is a %(format)s image; photos must be JPEG, PNG or WebP.")
            % {"format": other},
            code="photo_type",
        )
    return ValidationError(
        _("The file is not a JPEG, PNG or WebP image (whatever its name says)."),
        code="photo_type",
    )


def _pixels_error(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "The photo has %(width)s × %(height)s pixels, more than the limit of "
            "%(limit)s megapixels; make it smaller first."
        )
        % {"width": width, "height": height, "limit": MAX_PIXELS // 1_000_000},
        code="photo_pixels",
    )


def _open(upload) -> Image.Image:
    """The image, header read but no pixel decoded, or ValidationError."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow warns, then refuses, far above our own limit: treat both as a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=ACCEPTED_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ValidationError(
                _(
                    "The photo declares far more pixels than the limit of %(limit)s megapixels; "
                    "it cannot be used."
                )
                % {"limit": MAX_PIXELS // 1_000_000},
                code="photo_pixels",
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise _type_error(head) from error
    if image.format not in ACCEPTED_FORMATS:  # defensive: `formats` already limits this
        raise _type_error(head)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _pixels_error(width, height)
    return image


# WeasyPrint sets Pillow's process-wide ImageFile.LOAD_TRUNCATED_IMAGES = True
# when it is imported (for the PDFs), after which a cut-off upload would be
# padded with grey instead of refused. Uploads turn it off while they decode.
_TRUNCATION_FLAG = threading.Lock()


def _load_refusing_truncation(image: Image.Image) -> None:
    with _TRUNCATION_FLAG:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decode(image: Image.Image) -> Image.Image:
    """Decode pixels, upright, in sRGB, as RGB or RGBA, in a fresh image without metadata."""
    if image.format == "JPEG":
        # Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while reading:
        # a 40-megapixel photo then never sits in memory at full size.
        image.draft(image.mode, (DISPLAY_SIDE * 2, DISPLAY_SIDE * 2))
    try:
        _load_refusing_truncation(image)
        upright = ImageOps.exif_transpose(image)
    except (OSError, SyntaxError, ValueError) as error:
        raise _damaged_error() from error
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    mode = "RGBA" if has_alpha else "RGB"
    icc = upright.info.get("icc_profile")
    converted = None
    if icc:
        try:
            source = upright
            if source.mode not in ("RGB", "RGBA", "CMYK", "L"):
                source = source.convert(mode)
            converted = ImageCms.profileToProfile(
                source,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode if source.mode != "CMYK" else "RGB",
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            converted = None  # a broken profile: keep the pixels as they are
    pixels = (converted or upright).convert(mode)
    # A new image from the bare pixels: no EXIF, GPS, XMP, ICC or comment can follow.
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def _encode(image: Image.Image, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, "WEBP", quality=quality, method=4)
    return buffer.getvalue(), copy.width, copy.height


def check_size(upload) -> None:
    """Refuse an empty file or one over MAX_UPLOAD_BYTES (codes photo_type, photo_too_large)."""
    size = _size_of(upload)
    if size > MAX_UPLOAD_BYTES:
        # Rounded up: a file just over the limit must not read as "5.0 MB".
        megabytes = math.ceil(size * 10 / 1024 / 1024) / 10
        raise ValidationError(
            _("The photo is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": number_format(megabytes, 1),
                "limit": number_format(MAX_UPLOAD_BYTES // 1024 // 1024),
            },
            code="photo_too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="photo_type")


def process_photo(upload) -> ProcessedPhoto:
    """Check and clean an uploaded photo (a file object: Django upload or BytesIO).

    Returns the display and thumbnail images as WebP bytes with the display
    image's size. Stores nothing. Errors: ValidationError with code
    photo_too_large, photo_type, photo_pixels or photo_damaged.
    """
    check_size(upload)
    image = _open(upload)
    source_format = image.format
    clean = _decode(image)
    display, width, height = _encode(clean, DISPLAY_SIDE, DISPLAY_QUALITY)
    thumbnail, _w, _h = _encode(clean, THUMBNAIL_SIDE, THUMBNAIL_QUALITY)
    return ProcessedPhoto(
        display=display,
        thumbnail=thumbnail,
        width=width,
        height=height,
        source_format=source_format,
    )


def new_file_names() -> tuple[str, str]:
    """Random names for a display image and its thumbnail.

    Random, not derived from the product, so a stored file's address says
    nothing and cannot be guessed.
    """
    token = secrets.token_hex(16)
    return f"{token}.{EXTENSION}", f"{token}-thumb.{EXTENSION}"


def delete_files(*names: str) -> None:
    """Remove stored files; a file already gone is not an error."""
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
