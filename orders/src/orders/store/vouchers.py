"""Voucher documents (`vouchers`): the definition, and the redemptions held against it.

A redemption is one guarded write on the voucher's own document: it adds
`{orderId, at}` to `redemptions` and increments `redeemed` only while the voucher is
enabled, `redeemed < maxRedemptions` and the order is not in it yet — so concurrent
buyers can never take more than the maximum, and a retried redemption of the same
order is recognised (idempotent). Giving back removes the order's entries and sets
`redeemed` to what is left, in one pipeline write: idempotent too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from orders.domain.vouchers import Discount, Voucher, code_key
from ticketing_common.domain_errors import Conflict
from ticketing_common.mongo import Document


def voucher_document(voucher: Voucher) -> Document:
    discount = voucher.discount
    return {
        "_id": voucher.id,
        "eventId": voucher.event_id,
        "code": voucher.code,
        "codeKey": code_key(voucher.code),
        "maxRedemptions": voucher.max_redemptions,
        "createdAt": voucher.created_at,
        "discount": {"kind": discount.kind, "value": discount.value} if discount else None,
        "ticketTypeIds": list(voucher.ticket_type_ids),
        "unlocks": voucher.unlocks,
        "validFrom": voucher.valid_from,
        "validUntil": voucher.valid_until,
        "disabled": voucher.disabled,
        "redeemed": voucher.redeemed,
        "redemptions": [],
    }


def voucher_from_document(doc: Document) -> Voucher:
    discount = doc.get("discount")
    return Voucher(
        id=doc["_id"],
        event_id=doc["eventId"],
        code=doc["code"],
        max_redemptions=doc["maxRedemptions"],
        created_at=doc["createdAt"],
        discount=Discount(discount["kind"], discount["value"]) if discount else None,
        ticket_type_ids=tuple(doc.get("ticketTypeIds", [])),
        unlocks=doc.get("unlocks"),
        valid_from=doc.get("validFrom"),
        valid_until=doc.get("validUntil"),
        disabled=doc.get("disabled", False),
        redeemed=doc.get("redeemed", 0),
    )


# Definitions only: a popular voucher's redemptions are never read with it.
WITHOUT_REDEMPTIONS = {"redemptions": 0}


class VoucherStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.vouchers = db["vouchers"]

    async def ensure_indexes(self) -> None:
        await self.vouchers.create_index(
            [("eventId", ASCENDING), ("codeKey", ASCENDING)], unique=True
        )
        await self.vouchers.create_index("redemptions.at")
        await self.vouchers.create_index("redemptions.orderId")

    async def insert(self, voucher: Voucher) -> None:
        try:
            await self.vouchers.insert_one(voucher_document(voucher))
        except DuplicateKeyError:
            raise Conflict("This event already has a voucher with that code", "code") from None

    async def by_code(self, event_id: str, code: str) -> Voucher | None:
        query = {"eventId": event_id, "codeKey": code_key(code)}
        doc = await self.vouchers.find_one(query, WITHOUT_REDEMPTIONS)
        return voucher_from_document(doc) if doc else None

    async def get(self, voucher_id: str) -> Voucher | None:
        doc = await self.vouchers.find_one({"_id": voucher_id}, WITHOUT_REDEMPTIONS)
        return voucher_from_document(doc) if doc else None

    async def of_event(self, event_id: str, skip: int, limit: int) -> tuple[list[Voucher], int]:
        query = {"eventId": event_id}
        cursor = self.vouchers.find(query, WITHOUT_REDEMPTIONS).sort("codeKey", ASCENDING)
        docs = [doc async for doc in cursor.skip(skip).limit(limit)]
        total = await self.vouchers.count_documents(query)
        return [voucher_from_document(doc) for doc in docs], total

    async def disable(self, voucher_id: str) -> None:
        await self.vouchers.update_one({"_id": voucher_id}, {"$set": {"disabled": True}})

    async def redeem(self, voucher: Voucher, order_id: str, now: datetime) -> bool:
        """Take one redemption for the order → False when the voucher has none left (or
        was disabled); True, and nothing changed, if the order already holds one."""
        guard: dict[str, Any] = {
            "_id": voucher.id,
            "disabled": False,
            "redeemed": {"$lt": voucher.max_redemptions},
            "redemptions.orderId": {"$ne": order_id},
        }
        taken = await self.vouchers.update_one(
            guard,
            {"$inc": {"redeemed": 1}, "$push": {"redemptions": {"orderId": order_id, "at": now}}},
        )
        if taken.modified_count:
            return True
        mine = {"_id": voucher.id, "redemptions.orderId": order_id}
        return await self.vouchers.find_one(mine, {"_id": 1}) is not None

    async def give_back(self, voucher_id: str, order_ids: list[str]) -> None:
        """Remove these orders' redemptions; idempotent (writes only where one is left)."""
        kept = {
            "$filter": {
                "input": "$redemptions",
                "as": "r",
                "cond": {"$not": [{"$in": ["$$r.orderId", order_ids]}]},
            }
        }
        await self.vouchers.update_one(
            {"_id": voucher_id, "redemptions.orderId": {"$in": order_ids}},
            [{"$set": {"redemptions": kept}}, {"$set": {"redeemed": {"$size": "$redemptions"}}}],
        )

    async def redeemed_between(self, since: datetime, until: datetime) -> dict[str, str]:
        """Redemptions made in (since, until] → their voucher ids, by order id."""
        window = {"$gt": since, "$lte": until}
        cursor = self.vouchers.find({"redemptions.at": window}, {"redemptions": 1})
        return {
            entry["orderId"]: doc["_id"]
            async for doc in cursor
            for entry in doc["redemptions"]
            if since < entry["at"] <= until
        }

    async def held_by(self, order_ids: list[str]) -> dict[str, str]:
        """The voucher each of these orders still holds a redemption of, by order id."""
        wanted = set(order_ids)
        cursor = self.vouchers.find(
            {"redemptions.orderId": {"$in": order_ids}}, {"redemptions.orderId": 1}
        )
        return {
            entry["orderId"]: doc["_id"]
            async for doc in cursor
            for entry in doc["redemptions"]
            if entry["orderId"] in wanted
        }
