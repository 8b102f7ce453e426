"""`make cluster`'s topology, started for real: a replicated stream on three NATS nodes,
and requests through the gateway served by both replicas of a service."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.cluster import cluster_stack, free_port_base
from ticketing_common.devstack.nats_cluster import client_urls, nats_nodes
from ticketing_common.devstack.parts import binary, gateway_part
from ticketing_common.events import STREAM_NAME, utc_now
from ticketing_common.messaging import connect_nats
from ticketing_common.testing.plugin import TEST_JWT_KEY

HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackSettings]:
    """The whole cluster on a free range of ports, in-memory database, stores in a tmp dir."""
    settings = StackSettings.model_validate(
        {
            "data_dir": tmp_path_factory.mktemp("cluster"),
            "in_memory": True,
            "cluster_port_base": free_port_base(HOST, replicas=2),
            "extra_env": {"JWT_KEY": TEST_JWT_KEY},
        }
    )
    stack, parts = cluster_stack(settings)
    supervisor = Supervisor(parts, stack.data_dir / "logs", HOST, lambda _: None)
    try:
        supervisor.start_all()
        yield stack
    finally:
        supervisor.stop_all()


@pytest.mark.asyncio(loop_scope="session")
async def test_the_stream_keeps_three_replicas_on_nodes_that_fsync(cluster: StackSettings) -> None:
    nodes = nats_nodes(cluster.cluster_port_base)
    for node in nodes:
        varz = _json(f"http://{HOST}:{node.monitor_port}/varz")
        assert varz["jetstream"]["config"]["sync_always"] is True
    nc = await connect_nats(client_urls(nodes, HOST), "cluster-test")
    try:
        assert len(nc.servers) >= 3  # every given address, to fail over to
        js = nc.jetstream()
        async with asyncio.timeout(10):
            while True:
                info = await js.stream_info(STREAM_NAME)
                followers = info.cluster.replicas if info.cluster else None
                if followers and all(peer.current for peer in followers):
                    break
                await asyncio.sleep(0.2)
        assert info.config.num_replicas == 3
        assert info.cluster is not None
        assert info.cluster.leader
        assert len(followers) == 2
    finally:
        await nc.close()


@pytest.mark.asyncio(loop_scope="session")
async def test_sign_up_and_hold_through_the_gateway_reach_both_replicas(
    cluster: StackSettings,
) -> None:
    base_url = f"http://{HOST}:{cluster.gateway_port}"
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        email = f"cluster-{uuid.uuid4().hex[:8]}@example.com"
        signup = await client.post(
            "/api/users/signup", json={"email": email, "password": "correct horse"}
        )
        assert signup.status_code == 201, signup.text
        show = await _publish_show(client)
        async with asyncio.timeout(15):  # orders learns of the show from the stream
            while (await client.get(f"/api/availability/{show['id']}")).status_code != 200:
                await asyncio.sleep(0.1)
        hold = await client.post(
            "/api/orders",
            json={
                "eventId": show["id"],
                "items": [{"ticketTypeId": show["ticketTypes"][0]["id"], "quantity": 2}],
            },
        )
        assert hold.status_code == 201, hold.text
        for _ in range(4):  # round robin: two rounds over the two replicas
            assert (await client.get("/api/orders")).status_code == 200

    logs = cluster.data_dir / "logs"
    for replica in ("orders-1", "orders-2"):
        assert _api_requests(logs / f"{replica}.log"), f"{replica} served no request"


def test_the_route_table_validates_with_one_upstream_and_with_several(tmp_path: Path) -> None:
    """The same Caddyfile serves `make dev`, docker compose and `make cluster`."""
    settings = StackSettings(data_dir=tmp_path)
    for ports in ([3003], [3103, 3203]):
        gateway = gateway_part(settings, {"orders": ports})
        config = gateway.command[gateway.command.index("--config") + 1]
        validate = [binary("caddy"), "validate", "--config", config, "--adapter", "caddyfile"]
        result = subprocess.run(
            validate, env={**os.environ, **gateway.env}, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr[-2000:]


async def _publish_show(client: httpx.AsyncClient) -> dict[str, Any]:
    starts = utc_now() + timedelta(days=7)
    response = await client.post(
        "/api/events",
        json={
            "name": "Cluster night",
            "description": "Standing",
            "category": "music",
            "venue": {"name": "Hall", "address": "1 Main St"},
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=3)).isoformat(),
            "currency": "usd",
            "ticketTypes": [{"name": "Standing", "price": 25, "quantity": 5, "maxPerOrder": 3}],
        },
    )
    assert response.status_code == 201, response.text
    show: dict[str, Any] = response.json()
    return show


def _api_requests(log: Path) -> list[dict[str, Any]]:
    """The access-log records of API requests (the gateway's health checks are not logged)."""
    records = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("logger") == "access" and record.get("path", "").startswith("/api/"):
                records.append(record)
    return records


def _json(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=2) as response:
        body: dict[str, Any] = json.loads(response.read())
        return body
