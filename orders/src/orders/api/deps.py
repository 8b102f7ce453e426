"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from orders.container import OrdersContainer
from ticketing_common.wiring import container_of


async def get_context(request: Request) -> OrdersContainer:
    return container_of(request, OrdersContainer)


ContextDep = Annotated[OrdersContainer, Depends(get_context)]
