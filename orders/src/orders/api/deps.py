"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from orders.handlers.context import OrdersContext
from ticketing_common.wiring import container_of


def get_context(request: Request) -> OrdersContext:
    return container_of(request, OrdersContext)


ContextDep = Annotated[OrdersContext, Depends(get_context)]
