"""Dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from orders.handlers.context import OrdersContext
from ticketing_common.app import RuntimeDep


def get_context(runtime: RuntimeDep) -> OrdersContext:
    context: OrdersContext = runtime.extras["orders"]
    return context


ContextDep = Annotated[OrdersContext, Depends(get_context)]
