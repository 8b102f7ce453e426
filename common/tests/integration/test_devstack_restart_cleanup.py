"""The dev-stack supervisor clears up: a restart waits for the old process group and its
port, and a stop during a pending restart leaves no process and restarts nothing."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from devstack_kit import FAST, HOST, STUBBORN, Lines, heal_until, process_of, started, web_server

from ticketing_common.devstack import Part, RestartPolicy, Supervisor
from ticketing_common.devstack.groups import group_alive
from ticketing_common.devstack.probes import port_is_free_to_listen
from ticketing_common.testing.http import free_port


def test_a_restart_waits_until_the_old_group_has_let_go_of_the_port(tmp_path: Path) -> None:
    lines = Lines()
    port = free_port()
    # The shell leads; its child holds the port and ignores the SIGTERM sent first.
    command = ["sh", "-c", f'"{sys.executable}" -c "$0" {port} & wait', STUBBORN]
    part = Part("stubborn", command, port, "PORT")
    with started(Supervisor([part], tmp_path, HOST, lines, FAST)) as supervisor:
        leader = process_of(supervisor, "stubborn")

        os.kill(leader.pid, signal.SIGKILL)
        heal_until(supervisor, lambda: bool(lines.starting("stubborn restarted")))

        assert not group_alive(leader.pid)
        # One exit only: the new process got the port at its first try.
        assert [line for _, line in lines.starting("stubborn exited")] == [
            "stubborn exited (signal 9); restarting in 0.2s"
        ]


def test_stopping_during_a_pending_restart_stops_everything_and_restarts_nothing(
    tmp_path: Path,
) -> None:
    lines = Lines()
    web = web_server("web", tmp_path)
    # This part's shell keeps a child of its own, which must go with it.
    other = web_server("other", tmp_path, ["sh", "-c", 'sleep 300 & exec "$@"', "sh"])
    patient = RestartPolicy(first_delay=30.0)
    with started(Supervisor([web, other], tmp_path, HOST, lines, patient)) as supervisor:
        groups = [process.pid for _, process in supervisor.running]
        os.kill(groups[0], signal.SIGKILL)
        heal_until(supervisor, lambda: bool(lines.starting("web exited")))
        assert lines.starting("web exited (signal 9); restarting in 30s")

        began = time.monotonic()
        supervisor.stop_all(grace=2)

        assert time.monotonic() - began < 3
        assert lines[-2:] == ["stopped other", "stopped web"]
        assert supervisor.running == []
        assert not any(group_alive(pgid) for pgid in groups)
        # No listener left (a plain bind may still fail: closed connections sit in TIME_WAIT).
        assert port_is_free_to_listen(HOST, web.port)
        assert port_is_free_to_listen(HOST, other.port)
        assert supervisor.heal_once() is None
        assert supervisor.running == []


def test_with_restarts_off_an_exited_part_is_only_reported(tmp_path: Path) -> None:
    web = web_server("web", tmp_path)
    with started(Supervisor([web], tmp_path, HOST, Lines(), restarts=None)) as supervisor:
        killed = process_of(supervisor, "web")
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(2)

        assert supervisor.watch(interval=0.05) is web
        assert process_of(supervisor, "web") is killed
