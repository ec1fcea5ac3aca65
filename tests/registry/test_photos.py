"""Product photos: only real JPEG/PNG/WebP pass, metadata never survives, sizes hold."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_scopes import scope, scopes_disabled
from PIL import Image, ImageCms

from niaga.audit.models import AuditEvent
from niaga.registry import photos
from niaga.registry.domain import products as domain
from niaga.registry.models import ProductPhoto
from tests.registry.factories import make_product
from tests.registry.test_products_world import build_world, image_bytes, pesantren_account

pytestmark = pytest.mark.django_db

CAMERA = "Kamera Rahasia X100"
PLACE = "Jl. Pesantren No. 7 Pacitan"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(jatim, kalsel):
    return build_world(jatim, kalsel)


@pytest.fixture
def product(world):
    with scopes_disabled():
        return make_product(world.hikmah_coop, name="Batik Tulis Al-Hikmah", category="fashion")


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_everything(size=(800, 600)) -> bytes:
    """A phone-like JPEG: EXIF with camera, GPS position and a rotate-90° orientation,
    an ICC profile, XMP and a comment."""
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    exif[0x8825] = {1: "S", 2: (7.0, 12.0, 30.5), 3: "E", 4: (111.0, 6.0, 0.0)}  # GPSInfo
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{PLACE}</rdf:Description>'
    xmp += "</x:xmpmeta>"
    image = Image.new("RGB", size, (30, 120, 60))
    image.paste((250, 250, 0), (0, 0, size[0] // 4, size[1] // 4))  # a marker in one corner
    buffer = io.BytesIO()
    image.save(
        buffer,
        "JPEG",
        exif=exif,
        icc_profile=icc,
        xmp=xmp.encode(),
        comment=PLACE.encode(),
        quality=90,
    )
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` × `height` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored(photo: ProductPhoto, field: str = "image") -> bytes:
    return Path(getattr(photo, field).path).read_bytes()


def test_exif_gps_icc_xmp_and_comments_are_gone_and_the_photo_stays_upright(
    world, product, jatim_registry
):
    original = jpeg_with_everything()
    assert CAMERA.encode() in original and PLACE.encode() in original  # the test's own premise
    with scope(province=world.jatim):
        assert Image.open(io.BytesIO(original)).getexif()[0x0112] == 6
    photo = domain.photo_add(
        actor=jatim_registry, product=product, upload=upload(original), caption="Motif parang"
    )
    for field in ("image", "thumbnail"):
        data = stored(photo, field)
        for secret in (CAMERA.encode(), PLACE.encode(), b"Exif", b"GPS", b"xmpmeta", b"ICCP"):
            assert secret not in data, (field, secret)
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP"
        assert dict(image.getexif()) == {}
        assert set(image.info) <= {"loop", "background", "duration", "timestamp"}
    display = Image.open(io.BytesIO(stored(photo)))
    # 800 × 600 turned upright by its orientation: 600 wide, 800 high.
    assert (display.width, display.height) == (600, 800) == (photo.width, photo.height)
    # The yellow marker was top-left; after a 90° clockwise turn it is top-right.
    assert display.convert("RGB").getpixel((590, 10))[:2] > (200, 200)
    assert display.convert("RGB").getpixel((10, 10))[0] < 100
    assert photo.image.name.startswith("products/") and photo.image.name.endswith(".webp")
    assert "Batik" not in photo.image.name  # random names tell nothing
    with scope(province=world.jatim):
        event = AuditEvent.objects.get(action="registry.photo.add")
    assert event.after["source_format"] == "JPEG" and event.after["caption"] == "Motif parang"


@pytest.mark.parametrize(
    ("fmt", "content_type", "alpha"),
    [("PNG", "image/png", False), ("PNG", "image/png", True), ("WEBP", "image/webp", True)],
)
def test_png_and_webp_are_accepted(world, product, jatim_registry, fmt, content_type, alpha):
    data = image_bytes(fmt, size=(1200, 900), alpha=alpha)
    photo = domain.photo_add(
        actor=jatim_registry,
        product=product,
        upload=upload(data, name=f"foto.{fmt.lower()}", content_type=content_type),
    )
    image = Image.open(io.BytesIO(stored(photo)))
    assert image.format == "WEBP" and image.size == (1200, 900)
    assert image.mode == ("RGBA" if alpha else "RGB")


def test_big_photos_are_scaled_down_and_thumbnails_fit_400(world, product, jatim_registry):
    photo = domain.photo_add(
        actor=jatim_registry,
        product=product,
        upload=upload(image_bytes("JPEG", size=(4000, 1000))),
    )
    assert (photo.width, photo.height) == (1600, 400)
    assert Image.open(io.BytesIO(stored(photo))).size == (1600, 400)
    assert Image.open(io.BytesIO(stored(photo, "thumbnail"))).size == (400, 100)
    small = domain.photo_add(
        actor=jatim_registry, product=product, upload=upload(image_bytes("JPEG", size=(300, 500)))
    )
    # Never enlarged.
    assert Image.open(io.BytesIO(stored(small))).size == (300, 500)
    assert Image.open(io.BytesIO(stored(small, "thumbnail"))).size == (240, 400)


def noisy_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


REFUSED = [
    (
        "gif",
        lambda: image_bytes("GIF", size=(50, 50)),
        "The file is a GIF image; photos must be JPEG, PNG or WebP.",
    ),
    (
        "text named .jpg",
        lambda: b"Ini bukan foto, hanya teks.\n" * 20,
        "The file is not a JPEG, PNG or WebP image (whatever its name says).",
    ),
    (
        "over 5 MB",
        lambda: image_bytes("JPEG", size=(10, 10)) + b"\x00" * (5 * 1024 * 1024),
        "The photo is 5.1 MB; the limit is 5 MB.",
    ),
    (
        "49 megapixels",
        lambda: png_claiming(7000, 7000),
        "The photo has 7000 × 7000 pixels, more than the limit of 40 megapixels; "
        "make it smaller first.",
    ),
    (
        "400 megapixels",
        lambda: png_claiming(20000, 20000),
        "The photo declares far more pixels than the limit of 40 megapixels; it cannot be used.",
    ),
    (
        "truncated jpeg",
        lambda: noisy_jpeg()[:4000],
        "The photo is damaged or incomplete and cannot be read; upload it again.",
    ),
    (
        "jpeg cut in its header",
        lambda: noisy_jpeg()[:100],
        "The photo is damaged or incomplete and cannot be read; upload it again.",
    ),
]


@pytest.mark.parametrize(("label", "build", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_files_are_refused_with_the_rule_and_nothing_is_stored(
    world, product, jatim_registry, _media, label, build, message
):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        domain.photo_add(actor=jatim_registry, product=product, upload=upload(build()))
    assert raised.value.message_dict == {"image": [message]}
    with scope(province=world.jatim):
        assert not ProductPhoto.objects.exists()
        assert not AuditEvent.objects.filter(action="registry.photo.add").exists()
    assert list(Path(_media).rglob("*")) == []


def test_the_size_limit_is_5_mb_exactly(world, product, jatim_registry):
    jpeg = image_bytes("JPEG", size=(10, 10))
    padded = jpeg + b"\x00" * (photos.MAX_UPLOAD_BYTES - len(jpeg))
    assert len(padded) == photos.MAX_UPLOAD_BYTES
    photo = domain.photo_add(actor=jatim_registry, product=product, upload=upload(padded))
    assert (photo.width, photo.height) == (10, 10)
    with pytest.raises(ValidationError):
        domain.photo_add(actor=jatim_registry, product=product, upload=upload(padded + b"\x00"))


def test_at_most_eight_photos(world, product, jatim_registry):
    for n in range(photos.MAX_PHOTOS_PER_PRODUCT):
        photo = domain.photo_add(
            actor=jatim_registry, product=product, upload=upload(image_bytes(size=(40 + n, 40)))
        )
        assert photo.position == n
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        domain.photo_add(actor=jatim_registry, product=product, upload=upload(image_bytes()))
    assert raised.value.message_dict == {
        "image": ["A product has at most 8 photos; remove one before adding another."]
    }
    with scope(province=world.jatim):
        assert ProductPhoto.objects.filter(product=product).count() == 8


def test_remove_deletes_the_files_and_reorder_sets_the_main_photo(
    world, product, jatim_registry, django_capture_on_commit_callbacks
):
    first, second, third = (
        domain.photo_add(
            actor=jatim_registry, product=product, upload=upload(image_bytes(size=(w, 30)))
        )
        for w in (10, 20, 30)
    )
    domain.photo_reorder(
        actor=jatim_registry, product=product, photo_ids=[third.pk, first.pk, second.pk]
    )
    with scope(province=world.jatim):
        order = list(product.photos.order_by("position").values_list("width", "position"))
    assert order == [(30, 0), (10, 1), (20, 2)]
    with pytest.raises(ValidationError) as raised:
        domain.photo_reorder(actor=jatim_registry, product=product, photo_ids=[third.pk])
    assert raised.value.code == "conflict"
    paths = [Path(first.image.path), Path(first.thumbnail.path)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        domain.photo_remove(actor=jatim_registry, photo=first)
    assert not any(p.exists() for p in paths)
    with scope(province=world.jatim):
        order = list(product.photos.order_by("position").values_list("width", "position"))
    assert order == [(30, 0), (20, 1)]


def test_only_officers_and_the_own_pesantren_change_photos(
    world, product, jatim_curator, kalsel_registry
):
    own = pesantren_account("akun-hikmah", world.hikmah)
    other = pesantren_account("akun-ulum", world.ulum)
    photo = domain.photo_add(actor=own, product=product, upload=upload(image_bytes()))
    for outsider in (other, jatim_curator, kalsel_registry):
        with pytest.raises(PermissionDenied):
            domain.photo_add(actor=outsider, product=product, upload=upload(image_bytes()))
        with pytest.raises(PermissionDenied):
            domain.photo_remove(actor=outsider, photo=photo)
    with scope(province=world.jatim):
        assert ProductPhoto.objects.filter(product=product).count() == 1


def test_a_truncated_photo_is_refused_even_after_weasyprint_is_loaded():
    # WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    from niaga.registry import photos

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(ValidationError):
        photos.process_photo(SimpleUploadedFile("cut.jpg", noisy_jpeg()[:4000]))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
