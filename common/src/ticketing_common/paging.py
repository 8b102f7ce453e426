"""Paging of every list route: `page` and `pageSize` in, `X-Total-Count` and `Link` out.

The original ticketing client expects bare JSON arrays, so paging travels in the query
and in headers. Both parameters are bounded so no skip ever overflows the database's
64-bit integers (a page past the end is simply empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from ticketing_common.config import BaseServiceSettings
from ticketing_common.wiring import settings_of

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def skip(self) -> int:
        return (self.number - 1) * self.size


async def get_page(
    request: Request,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int | None, Query(alias="pageSize", ge=1, le=MAX_PAGE_SIZE)] = None,
) -> Page:
    settings = settings_of(request, BaseServiceSettings)
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
        links.append(f'<{url.path}?{url.query}>; rel="{rel}"')
    response.headers["X-Total-Count"] = str(total)
    response.headers["Link"] = ", ".join(links)
