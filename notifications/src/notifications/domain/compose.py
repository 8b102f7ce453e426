"""What each kind of mail says: subject, body and attachments, from plain values.

Pure functions of their inputs (the PDF and the QR codes come from
`ticketing_common.printing`), so the unit tests check every word without a server.
"""

from __future__ import annotations

from notifications.domain.mail import Attachment, Mail
from notifications.domain.show import Show
from ticketing_common.events import CancelReason, WaitlistOffered
from ticketing_common.money import to_major
from ticketing_common.printing import PrintableTicket, qr_png, tickets_pdf, when

SIGNATURE = "\n-- \nTicketing\n"
LATE_PAYMENT = (
    "During purchase something went wrong, no tickets bought, we returned you your money."
)


def money(amount: int, currency: str) -> str:
    """Minor units as the mail shows them: 4550, "eur" -> "45.50 EUR"."""
    return f"{to_major(amount):.2f} {currency.upper()}"


def tickets_mail(to: str, order_id: str, show: Show, tickets: list[PrintableTicket]) -> Mail:
    """The tickets of a completed order: one line per ticket, each QR code, one PDF."""
    lines = [f"Thank you for your order {order_id}. Your tickets for {show.name}:", ""]
    if show.starts_at is not None:
        lines.append(f"When:  {when(show.starts_at)}")
    if show.venue:
        lines.append(f"Where: {show.venue}")
    lines.append("")
    for number, ticket in enumerate(tickets, 1):
        seat = f", {ticket.seat_label}" if ticket.seat_label else ""
        lines.append(f"  {number}. {ticket.ticket_type_name}{seat} (ticket {ticket.ticket_id})")
    lines += [
        "",
        "Each ticket's QR code is attached, and every ticket is in the PDF to print.",
        "Show the code at the door: it lets one person in, once.",
    ]
    attachments = [
        Attachment(f"ticket-{number}-{ticket.ticket_id}.png", "image/png", qr_png(ticket.key))
        for number, ticket in enumerate(tickets, 1)
    ]
    if tickets:
        attachments.append(
            Attachment(f"tickets-{order_id}.pdf", "application/pdf", tickets_pdf(tickets))
        )
    return Mail(to, f"Your tickets for {show.name}", _body(lines), attachments)


def _why_cancelled(reason: CancelReason, name: str) -> str:
    if reason == "expired":
        return (
            f"The hold on your tickets for {name} ended before it was paid, so no tickets "
            "were bought and they are back on sale."
        )
    if reason == "cancelled_by_buyer":
        return f"You cancelled your order for {name}; no tickets were bought."
    if reason == "event_cancelled":
        return f"The organizer cancelled {name}, so your order was cancelled."
    if reason == "listing_withdrawn":
        return f"The seller withdrew {name} from sale, so your order was cancelled."
    return f"Your order for {name} was cancelled."  # a reason added after this code


def cancelled_mail(
    to: str, order_id: str, show_name: str, reason: CancelReason, was_paid: bool = False
) -> Mail:
    """Why an order ended without tickets (or, paid, lost them): its hold expired, the
    buyer, the event or the listing; a paid order's tickets are void and refunded."""
    lines = [_why_cancelled(reason, show_name)]
    if was_paid:
        lines.append(
            "Your tickets are no longer valid. The money you paid is returned: "
            "we will write when the refund is made."
        )
    subject = (
        f"{show_name} was cancelled"
        if reason == "event_cancelled"
        else f"Your order for {show_name} was cancelled"
    )
    return Mail(to, subject, _body([*lines, "", f"Order: {order_id}"]))


def refund_mail(
    to: str,
    order_id: str,
    amount: int,
    currency: str,
    show_name: str,
    reason: CancelReason | None,
) -> Mail:
    """Money returned: for a late payment (the hold had ended) the buyer is told so."""
    if reason == "event_cancelled":
        why = f"{show_name} was cancelled by its organizer, so we returned you your money."
    elif reason == "listing_withdrawn":
        why = f"The seller withdrew {show_name} from sale, so we returned you your money."
    elif reason == "expired":
        why = LATE_PAYMENT
    else:
        why = f"Your order for {show_name} was cancelled, so we returned you your money."
    lines = [why, "", f"Refunded: {money(amount, currency)}", f"Order:    {order_id}"]
    return Mail(to, f"Refund of {money(amount, currency)}", _body(lines))


def waitlist_offer_mail(to: str, offer: WaitlistOffered) -> Mail:
    """Tickets came free for a buyer on the waiting list: held for them until a time."""
    what = f"{offer.quantity} x {offer.ticket_type_name}"
    lines = [
        f"Good news: tickets for {offer.event_name} came free, and you were next on the "
        "waiting list.",
        "",
        f"Held for you: {what}, {money(offer.amount, offer.currency)}",
        f"Until:        {when(offer.expires_at)}",
        "",
        "Pay for them in My orders before then. If you do not, or you cancel that order,",
        "they go to the next person waiting.",
        "",
        f"Order: {offer.order_id}",
    ]
    return Mail(to, f"Tickets for {offer.event_name} are held for you", _body(lines))


def _body(lines: list[str]) -> str:
    return "Hello,\n\n" + "\n".join(lines) + "\n" + SIGNATURE
