"""Dependencies the routes share: the catalog, and the money field type (text: `text`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Request
from pydantic import Field

from ticketing_common.wiring import container_of
from tickets.catalog import Catalog
from tickets.money import MAX_PRICE_MAJOR

# A price in major units: positive, at most 2 decimals (20.5 -> 2050 minor units).
Price = Annotated[Decimal, Field(gt=0, le=MAX_PRICE_MAJOR, decimal_places=2)]


async def get_catalog(request: Request) -> Catalog:
    return container_of(request, Catalog)


CatalogDep = Annotated[Catalog, Depends(get_catalog)]
