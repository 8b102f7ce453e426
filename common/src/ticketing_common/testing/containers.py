"""Mongo and NATS as containers, for machines with a Docker engine (TICKETING_TESTCONTAINERS=1).

localstripe has no official image, so it still runs embedded next to the containers.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ticketing_common.devstack import StackSettings, Supervisor
from ticketing_common.devstack.parts import infrastructure_parts
from ticketing_common.testing.endpoints import Endpoints
from ticketing_common.testing.http import free_port


def container_endpoints() -> Iterator[Endpoints]:
    from testcontainers.core.container import DockerContainer

    mongo = DockerContainer("mongo:8.0").with_command("--replSet rs0 --bind_ip_all")
    mongo.with_exposed_ports(27017)
    nats = DockerContainer("nats:2.12").with_command("-js").with_exposed_ports(4222)
    stripe_port = free_port()
    settings = StackSettings(
        data_dir=Path(tempfile.mkdtemp()), in_memory=True, stripe_port=stripe_port
    )
    stripe = Supervisor(
        infrastructure_parts(settings)[2:], settings.data_dir, "127.0.0.1", lambda _: None
    )
    with mongo, nats:
        _initiate_replica_set(mongo)
        stripe.start_all()
        try:
            yield Endpoints(
                mongo_uri=(
                    f"mongodb://{mongo.get_container_host_ip()}:"
                    f"{mongo.get_exposed_port(27017)}/?directConnection=true"
                ),
                nats_url=f"nats://{nats.get_container_host_ip()}:{nats.get_exposed_port(4222)}",
                stripe_url=f"http://127.0.0.1:{stripe_port}",
            )
        finally:
            stripe.stop_all()


def _initiate_replica_set(mongo: object) -> None:
    # Transactions need a replica set; one member named by its in-container address.
    command = "rs.initiate({_id:'rs0',members:[{_id:0,host:'localhost:27017'}]})"
    for _ in range(60):
        code, _output = mongo.exec(["mongosh", "--quiet", "--eval", command])  # type: ignore[attr-defined]
        if code == 0:
            return
        time.sleep(1)
    raise RuntimeError("mongo replica set did not initiate")
