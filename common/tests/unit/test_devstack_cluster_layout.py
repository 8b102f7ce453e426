"""What `make cluster` would start, read without starting it: ports, node configs, commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from ticketing_common.devstack import StackSettings, build_parts
from ticketing_common.devstack.cluster import cluster_ports, cluster_stack
from ticketing_common.devstack.nats_cluster import nats_nodes, node_config
from ticketing_common.devstack.parts import SERVICES, Part, installed_services


def _settings(tmp_path: Path, **values: object) -> StackSettings:
    return StackSettings.model_validate({"data_dir": tmp_path, "in_memory": True, **values})


def _services(parts: list[Part]) -> list[Part]:
    return [part for part in parts if "uvicorn" in part.command]


@pytest.mark.parametrize("replicas", range(1, 10))
def test_cluster_ports_are_distinct_and_clear_of_the_single_node_defaults(replicas: int) -> None:
    defaults = StackSettings()
    single = {defaults.gateway_port, defaults.mongo_port, defaults.nats_port, defaults.stripe_port}
    single |= {defaults.smtp_port, defaults.orders_reads_port}
    single |= {defaults.service_port(service) for service in SERVICES}
    ports = cluster_ports(defaults.cluster_port_base, replicas)
    assert len(ports) == len(set(ports)) == 4 + 9 + len(SERVICES) * replicas
    assert not single & set(ports)


def test_each_node_fsyncs_keeps_its_own_store_and_routes_to_the_others() -> None:
    nodes = nats_nodes(18000)
    config = node_config(nodes[1], nodes, "127.0.0.1", Path("/data/nats-2"))
    assert "sync_interval: always" in config
    assert 'store_dir: "/data/nats-2"' in config
    assert f"listen: 127.0.0.1:{nodes[1].client_port}" in config
    routes = next(line for line in config.splitlines() if "routes:" in line)
    assert [f":{node.route_port}" in routes for node in nodes] == [True, False, True]


def test_the_cluster_runs_every_service_twice_on_the_replicated_stream(tmp_path: Path) -> None:
    stack, parts = cluster_stack(_settings(tmp_path, cluster_port_base=30000))
    assert stack.data_dir == tmp_path / "cluster"
    assert stack.gateway_port == 30080
    assert [p.name.split()[0] for p in parts[1:4]] == ["nats-1", "nats-2", "nats-3"]
    assert all((tmp_path / "cluster" / f"nats-{n}.conf").exists() for n in (1, 2, 3))
    services = _services(parts)
    expected = [f"{s}-{r}" for s in installed_services() for r in (1, 2)]
    assert [part.name for part in services] == expected
    assert len({part.port for part in services}) == len(services)
    for part in services:
        assert part.env["NATS_URL"].count(",") == 2
        assert part.env["NATS_STREAM_REPLICAS"] == "3"
    gateway = parts[-1]
    assert gateway.env["ORDERS_UPSTREAM"] == "127.0.0.1:30103 127.0.0.1:30203"
    # The seat map is read from every orders replica, as the rest of orders' routes.
    assert gateway.env["AVAILABILITY_UPSTREAM"] == gateway.env["ORDERS_UPSTREAM"]


def test_the_single_node_stack_reads_the_seat_map_from_a_second_orders_process(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    parts = build_parts(settings)
    orders, reads = (
        next(p for p in parts if p.name == name) for name in ("orders", "orders-reads")
    )
    assert reads.command == [
        str(settings.orders_reads_port) if arg == str(settings.orders_port) else arg
        for arg in orders.command
    ]
    assert reads.env == orders.env
    gateway = parts[-1]
    assert gateway.env["ORDERS_UPSTREAM"] == f"127.0.0.1:{settings.orders_port}"
    assert gateway.env["AVAILABILITY_UPSTREAM"] == f"127.0.0.1:{settings.orders_reads_port}"


def test_every_service_process_has_a_bounded_graceful_shutdown(tmp_path: Path) -> None:
    _stack, cluster = cluster_stack(_settings(tmp_path, cluster_port_base=30000))
    single = build_parts(_settings(tmp_path))
    for part in _services(cluster) + _services(single):
        flag = part.command.index("--timeout-graceful-shutdown")
        assert part.command[flag + 1] == "5"
    assert {part.env["NATS_STREAM_REPLICAS"] for part in _services(single)} == {"1"}
