"""A digest as a PDF, to forward to management: the HTML digest (its charts inline, the same consent
rules) laid out on A4 by WeasyPrint, an optional dependency (``pip install 'kring[pdf]'``)."""

from __future__ import annotations

from plugin.errors import KringError


class PdfUnavailable(KringError):
    """WeasyPrint, or the Pango library it draws text with, is not installed."""


def as_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there, the Pango library is not
        raise PdfUnavailable(
            "a PDF needs WeasyPrint: pip install 'kring[pdf]' (and the Pango library, e.g. "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}") from exc
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
