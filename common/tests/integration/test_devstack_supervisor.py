"""The dev-stack supervisor: clear port conflicts, health waiting, nothing left listening."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from ticketing_common.devstack import PortInUse, StackSettings, StartupFailed, Supervisor
from ticketing_common.devstack.parts import Part, infrastructure_parts
from ticketing_common.devstack.supervisor import port_is_free
from ticketing_common.testing.http import free_port


def _settings(tmp_path: Path, **ports: int) -> StackSettings:
    defaults = {"mongo_port": free_port(), "nats_port": free_port(), "stripe_port": free_port()}
    return StackSettings.model_validate(
        {"data_dir": tmp_path, "in_memory": True, **defaults, **ports}
    )


def test_taken_port_is_reported_with_the_setting_that_moves_it(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        settings = _settings(tmp_path, nats_port=taken)
        supervisor = Supervisor(infrastructure_parts(settings), tmp_path, "127.0.0.1", print)
        with pytest.raises(PortInUse, match=f"Port {taken} .*NATS_PORT"):
            supervisor.start_all()
    assert supervisor.running == []


def test_parts_start_healthy_and_stop_without_leaving_listeners(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    progress: list[str] = []
    supervisor = Supervisor(infrastructure_parts(settings), tmp_path, "127.0.0.1", progress.append)
    try:
        supervisor.start_all()
        assert not port_is_free("127.0.0.1", settings.nats_port)
        assert sum("ready" in line for line in progress) == 3
    finally:
        supervisor.stop_all()
    for port in (settings.mongo_port, settings.nats_port, settings.stripe_port):
        assert port_is_free("127.0.0.1", port)


def test_a_part_that_dies_during_start_up_is_reported_with_its_log(tmp_path: Path) -> None:
    doomed = Part("doomed", ["sh", "-c", "echo cannot start; exit 3"], free_port(), "DOOMED_PORT")
    supervisor = Supervisor([doomed], tmp_path, "127.0.0.1", lambda _: None)
    with pytest.raises(StartupFailed, match="exited with 3:\ncannot start"):
        supervisor.start_all()
    supervisor.stop_all()
