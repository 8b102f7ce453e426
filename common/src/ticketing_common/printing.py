"""Door-ready tickets: the QR code of a ticket's key (SVG for screens) and a printable PDF.

Shared by the web client (My tickets, the order page, "Download PDF") and the
notifications service (tickets attached to the confirmation mail), so a ticket looks
the same wherever it is shown. No I/O: bytes and strings in, bytes and strings out.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import segno
from fpdf import FPDF

# M recovers ~15% of the code: enough for a scuffed print-out or a cracked phone screen,
# while a long signed key still fits a version a phone camera resolves at arm's length.
ERROR_CORRECTION = "m"
# The standard's quiet zone: scanners need 4 light modules around the code.
QUIET_ZONE = 4
_PNG_SCALE = 10  # pixels per module of the PDF's image; the PDF scales it to QR_SIZE_MM
QR_SIZE_MM = 70
# The PDF's built-in font speaks Latin-1 only; common typography is spelled out first.
_PLAIN = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
    | {"\u2026": "...", "\u20ac": "EUR"}
)


@dataclass(frozen=True)
class PrintableTicket:
    """What a ticket shows at the door; `starts_at` is None only for a resale listing."""

    ticket_id: str
    key: str
    event_name: str
    starts_at: datetime | None
    venue: str | None
    ticket_type_name: str
    seat_label: str | None
    holder: str
    order_id: str

    def __post_init__(self) -> None:
        if self.starts_at is not None and self.starts_at.utcoffset() is None:
            raise ValueError("starts_at must be timezone-aware")


def _qr(key: str) -> segno.QRCode:
    # No error "boost": the level stays M, so every ticket's code scans the same way.
    return segno.make_qr(key, error=ERROR_CORRECTION, boost_error=False)


def qr_svg(key: str, title: str = "Ticket QR code") -> str:
    """The key as an inline `<svg>` sized by CSS (viewBox only), dark on a white quiet zone."""
    svg: str = _qr(key).svg_inline(
        scale=1, border=QUIET_ZONE, omitsize=True, dark="#000", light="#fff", title=title
    )
    return svg


def qr_png(key: str) -> bytes:
    buffer = io.BytesIO()
    _qr(key).save(buffer, kind="png", scale=_PNG_SCALE, border=QUIET_ZONE)
    return buffer.getvalue()


def when(starts_at: datetime | None) -> str:
    """ "Wed 1 May 2030, 19:30 UTC" in the time zone the event was given in."""
    if starts_at is None:
        return "-"
    zone = starts_at.tzname() or starts_at.strftime("%z")
    return f"{starts_at:%a} {starts_at.day} {starts_at:%b %Y, %H:%M} {zone}"


def _printable(text: str) -> str:
    """Text the built-in font can draw: "ź" loses its accent, what has no Latin-1 form is "?"."""
    return "".join(_latin1(c) for c in text.translate(_PLAIN))


def _latin1(char: str) -> str:
    if ord(char) < 256:
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and all(ord(c) < 256 for c in base) else "?"


def _details(ticket: PrintableTicket) -> list[tuple[str, str]]:
    return [
        ("Date", when(ticket.starts_at)),
        ("Venue", ticket.venue or "-"),
        ("Ticket", ticket.ticket_type_name),
        ("Seat", ticket.seat_label or "Free seating"),
        ("Holder", ticket.holder),
        ("Order", ticket.order_id),
    ]


def _ticket_page(pdf: FPDF, ticket: PrintableTicket) -> None:
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("helvetica", "B", 20)
    pdf.multi_cell(
        width, 9, _printable(ticket.event_name), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    for label, value in _details(ticket):
        pdf.set_font("helvetica", "B", 11)
        pdf.cell(28, 7, label)
        pdf.set_font("helvetica", "", 11)
        pdf.multi_cell(width - 28, 7, _printable(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.image(io.BytesIO(qr_png(ticket.key)), x=pdf.l_margin, w=QR_SIZE_MM, h=QR_SIZE_MM)
    pdf.ln(2)
    pdf.set_font("courier", "", 8)
    for line in (f"Ticket {ticket.ticket_id}", ticket.key):
        pdf.multi_cell(width, 4, _printable(line), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(80, 80, 80)
    top = pdf.t_margin - 6
    pdf.rect(pdf.l_margin - 6, top, width + 12, pdf.get_y() + 6 - top)  # where to cut


def tickets_pdf(tickets: list[PrintableTicket]) -> bytes:
    """One A4 page per ticket: event, date and time, venue, type, seat, holder, QR, id."""
    if not tickets:
        raise ValueError("no tickets to print")
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title("Tickets")
    pdf.set_creator("Ticketing")
    pdf.set_auto_page_break(auto=False)  # a ticket never spills onto a second page
    pdf.set_margins(20, 20, 20)
    for ticket in tickets:
        _ticket_page(pdf, ticket)
    return bytes(pdf.output())
