"""printing.py: the SVG draws exactly the QR code of the key, the PDF has a page per ticket."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from xml.etree import ElementTree

import pytest
import segno

from ticketing_common.printing import PrintableTicket, qr_svg, tickets_pdf, when

KEY = "k1.6650a1b2c3d4e5f601234567.MEUCIQDx-signature_part.Zm9vYmFy"


def ticket(n: int, name: str = "Jazz Night") -> PrintableTicket:
    return PrintableTicket(
        ticket_id=f"tk-{n}",
        key=f"{KEY}.{n}",
        event_name=name,
        starts_at=datetime(2031, 5, 1, 19, 30, tzinfo=UTC),
        venue="Blue Hall, 1 Main St",
        ticket_type_name="Stalls",
        seat_label=f"Stalls, row C, seat {n}",
        holder="ann@example.com",
        order_id="o-1",
    )


def dark_modules(svg: str) -> tuple[int, set[tuple[int, int]]]:
    """The side (modules, quiet zone included) and the dark modules the SVG path draws.

    segno draws each run of dark modules as a horizontal line through the middle of a
    row: "M x y.5" moves absolutely, "m dx dy" relatively, "h n" draws n modules.
    """
    root = ElementTree.fromstring(svg)
    side = int(root.attrib["viewBox"].split()[2])
    line = next(p for p in root.iter("path") if p.get("class") == "qrline")
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, args in re.findall(r"([MmHhVv])([-\d. ]+)", line.attrib["d"]):
        numbers = [float(a) for a in re.findall(r"-?[\d.]+", args)]
        if op == "M":
            x, y = numbers
        elif op == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif op == "h":
            dark.update((int(x) + i, int(y)) for i in range(int(numbers[0])))
            x += numbers[0]
    return side, dark


def expected_modules(key: str, border: int = 4) -> set[tuple[int, int]]:
    matrix = segno.make_qr(key, error="m", boost_error=False).matrix
    return {
        (x + border, y + border) for y, row in enumerate(matrix) for x, on in enumerate(row) if on
    }


def test_the_svg_is_xml_and_draws_the_qr_code_of_the_key_at_level_m_with_a_quiet_zone() -> None:
    svg = qr_svg(KEY)
    assert svg.startswith("<svg")
    side, dark = dark_modules(svg)
    qr = segno.make_qr(KEY, error="m", boost_error=False)
    assert qr.designator.endswith("-M")
    assert side == len(qr.matrix) + 2 * 4
    assert dark == expected_modules(KEY)
    # Nothing dark in the 4-module quiet zone around the code.
    assert all(4 <= x < side - 4 and 4 <= y < side - 4 for x, y in dark)
    # A different key is a different drawing.
    assert dark_modules(qr_svg(KEY + "x"))[1] != dark


def test_the_svg_has_a_title_and_a_white_background_for_dark_screens() -> None:
    root = ElementTree.fromstring(qr_svg(KEY, title="QR code of ticket tk-1"))
    assert root.findtext("title") == "QR code of ticket tk-1"
    assert any(p.get("fill") == "#fff" for p in root.iter("path"))


def pdf_text(pdf: bytes) -> str:
    """Every content stream of the PDF, inflated (fpdf2 compresses them)."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S)
    texts = []
    for raw in streams:
        try:
            texts.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            continue  # an image's data, not text
    return "\n".join(texts)


def test_the_pdf_has_one_page_and_one_qr_image_per_ticket_with_its_details() -> None:
    pdf = tickets_pdf([ticket(1), ticket(2), ticket(3)])
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 3
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) == 3
    text = pdf_text(pdf)
    assert text.count("(Jazz Night) Tj") == 3
    for shown in ("Thu 1 May 2031, 19:30 UTC", "Blue Hall, 1 Main St", "ann@example.com"):
        assert f"({shown}) Tj" in text
    assert "(Stalls, row C, seat 2) Tj" in text
    assert "(Ticket tk-3) Tj" in text


def test_the_pdf_draws_text_the_builtin_font_lacks_instead_of_failing() -> None:
    text = pdf_text(tickets_pdf([ticket(1, name="Łódź \u201cJazz\u201d \u2013 東京 €5")]))
    assert '(?ódz "Jazz" - ?? EUR5) Tj' in text


def test_a_listing_ticket_without_a_date_prints_and_naive_dates_are_refused() -> None:
    undated = PrintableTicket("tk", KEY, "Front row", None, None, "Resale", None, "a@b.c", "o")
    assert tickets_pdf([undated]).startswith(b"%PDF")
    with pytest.raises(ValueError, match="timezone-aware"):
        PrintableTicket("tk", KEY, "X", datetime(2031, 1, 1), None, "T", None, "a@b.c", "o")
    with pytest.raises(ValueError, match="no tickets"):
        tickets_pdf([])


def test_the_date_is_shown_in_the_zone_it_was_given_in() -> None:
    paris = timezone(timedelta(hours=2), "CEST")
    assert when(datetime(2031, 5, 1, 21, 30, tzinfo=paris)) == "Thu 1 May 2031, 21:30 CEST"
    assert when(None) == "-"
