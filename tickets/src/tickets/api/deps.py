"""Dependencies the routes share: the catalog, paging, and the money/text field types."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Query, Request, Response
from pydantic import Field, StringConstraints

from ticketing_common.app import RuntimeDep
from tickets.config import TicketsSettings
from tickets.handlers import Catalog
from tickets.money import MAX_PRICE_MAJOR

MAX_PAGE_SIZE = 100

# A price in major units: positive, at most 2 decimals (20.5 -> 2050 minor units).
Price = Annotated[Decimal, Field(gt=0, le=MAX_PRICE_MAJOR, decimal_places=2)]


def trimmed(max_length: int, min_length: int = 1) -> StringConstraints:
    """Constraints of a trimmed string; a blank one counts as empty."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


def get_catalog(runtime: RuntimeDep) -> Catalog:
    catalog: Catalog = runtime.extras["catalog"]
    return catalog


CatalogDep = Annotated[Catalog, Depends(get_catalog)]


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def skip(self) -> int:
        return (self.number - 1) * self.size


def get_page(
    request: Request,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int | None, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE)] = None,
) -> Page:
    settings: TicketsSettings = request.app.state.settings
    return Page(page, page_size or settings.default_page_size)


PageDep = Annotated[Page, Depends(get_page)]


def add_paging_headers(request: Request, response: Response, page: Page, total: int) -> None:
    """X-Total-Count and an RFC 8288 Link header (relative, so it survives the gateway)."""
    last = max(1, -(-total // page.size))
    wanted = {"first": 1, "last": last}
    if page.number > 1:
        wanted["prev"] = min(page.number - 1, last)
    if page.number < last:
        wanted["next"] = page.number + 1
    links = []
    for rel, number in wanted.items():
        url = request.url.include_query_params(page=number, pageSize=page.size)
        target = f"{url.path}?{url.query}"
        links.append(f'<{target}>; rel="{rel}"')
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = ", ".join(links)
