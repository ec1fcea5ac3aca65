"""A person's data package (UU PDP right of access) as files: JSON and PDF.

Both are made from the dict `niaga.registry.domain.people.person_export`
returns (which also writes the audit entry). The JSON is that dict exactly,
so it reads back into the same data; the PDF is the same content as a
document to hand to the person, made by WeasyPrint from an HTML template.
The files hold the clear NIK: they are the person's own data, made only for
the data protection officer and never stored by Niaga.
"""

from __future__ import annotations

import json

from django.template.loader import render_to_string

PDF_TEMPLATE = "registry/people/export_pdf.html"


def filename(data: dict, fmt: str) -> str:
    """`data-pribadi-<id>-<YYYY-MM-DD>.<fmt>`: no name in it, a download folder is not private."""
    day = data["generated_at"][:10]
    return f"data-pribadi-{data['person']['id']}-{day}.{fmt}"


def as_json(data: dict) -> bytes:
    """The package as UTF-8 JSON, indented, with non-ASCII letters kept readable."""
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def as_html(data: dict) -> str:
    """The HTML the PDF is printed from (self-contained: styles inline, no links fetched)."""
    pretty = [
        {
            **event,
            "before_text": _pretty(event["before"]),
            "after_text": _pretty(event["after"]),
        }
        for event in data["audit_history"]
    ]
    return render_to_string(PDF_TEMPLATE, {"data": data, "history": pretty})


def as_pdf(data: dict) -> bytes:
    """The package as a PDF document (bytes beginning with %PDF)."""
    from weasyprint import HTML

    # No base_url: the template fetches nothing, so WeasyPrint opens no file or URL.
    return HTML(string=as_html(data)).write_pdf()


def _pretty(value) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
