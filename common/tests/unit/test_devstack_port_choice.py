"""Ports picked for servers in tests and `make cluster` bases lie clear of the kernel's
ephemeral range: an outgoing connection made between the pick and the server's bind
must not be able to take the port (it once did, to a cluster replica in CI)."""

from __future__ import annotations

import pytest

from ticketing_common.devstack.cluster import cluster_ports, free_port_base
from ticketing_common.devstack.probes import ephemeral_ports, random_port_base
from ticketing_common.testing.http import free_port


def test_a_cluster_base_keeps_every_port_of_the_cluster_out_of_the_ephemeral_range() -> None:
    ephemeral = ephemeral_ports()
    for _ in range(200):
        ports = cluster_ports(free_port_base("127.0.0.1", replicas=2), replicas=2)
        assert not [p for p in ports if p in ephemeral]
        assert all(10000 <= p < 65536 for p in ports)


def test_a_span_wider_than_the_room_left_is_refused_not_overlapped() -> None:
    ephemeral = ephemeral_ports()
    room = (ephemeral.start - 10000) + (65536 - ephemeral.stop)
    with pytest.raises(RuntimeError, match="ephemeral"):
        random_port_base(room + 1)


def test_free_ports_are_outside_the_ephemeral_range_and_never_handed_out_twice() -> None:
    ephemeral = ephemeral_ports()
    ports = [free_port() for _ in range(300)]
    assert len(set(ports)) == len(ports)
    assert not [p for p in ports if p in ephemeral]
