"""The dev-stack supervisor heals: real processes, killed with real signals, come back."""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
import urllib.request
from pathlib import Path

from devstack_kit import FAST, HOST, Lines, flaky, heal_until, process_of, started, web_server

from ticketing_common.devstack import RestartPolicy, Supervisor
from ticketing_common.devstack.groups import group_alive


def test_a_killed_part_is_restarted_while_the_others_keep_running(tmp_path: Path) -> None:
    lines = Lines()
    web, other = web_server("web", tmp_path), web_server("other", tmp_path)
    with started(Supervisor([web, other], tmp_path, HOST, lines, FAST)) as supervisor:
        watcher = threading.Thread(target=supervisor.watch, kwargs={"interval": 0.05})
        watcher.start()
        killed, bystander = process_of(supervisor, "web"), process_of(supervisor, "other")

        os.kill(killed.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while not lines.starting("web restarted ("):
            assert time.monotonic() < deadline, lines
            time.sleep(0.05)

        assert "web exited (signal 9); restarting in 0.2s" in lines
        with urllib.request.urlopen(f"http://{HOST}:{web.port}/", timeout=2) as response:
            assert response.status == 200
        assert process_of(supervisor, "web").pid != killed.pid
        assert process_of(supervisor, "other") is bystander
        assert bystander.poll() is None
        assert not lines.starting("other")
        assert not lines.starting("stopped")
        supervisor.stop_all(grace=2)
        watcher.join(timeout=2)
        assert not watcher.is_alive()


def test_a_part_that_keeps_crashing_waits_longer_each_time(tmp_path: Path) -> None:
    lines = Lines()
    policy = RestartPolicy(first_delay=0.1, max_delay=0.4, reset_after=60.0)
    part = flaky("flaky", tmp_path, "exit")
    with started(Supervisor([part], tmp_path, HOST, lines, policy)) as supervisor:
        os.kill(process_of(supervisor, "flaky").pid, signal.SIGKILL)
        heal_until(supervisor, lambda: len(lines.starting("flaky exited")) == 5)

    exits = lines.starting("flaky exited")
    assert [line for _, line in exits] == [
        "flaky exited (signal 9); restarting in 0.1s",
        "flaky exited (code 3); restarting in 0.2s",
        "flaky exited (code 3); restarting in 0.4s",
        "flaky exited (code 3); restarting in 0.4s",
        "flaky exited (code 3); restarting in 0.4s",
    ]
    waits = [later - earlier for (earlier, _), (later, _) in itertools.pairwise(exits)]
    assert all(wait >= delay for wait, delay in zip(waits, (0.1, 0.2, 0.4, 0.4), strict=True))


def test_the_back_off_starts_over_once_a_part_has_stayed_up(tmp_path: Path) -> None:
    lines = Lines()
    policy = RestartPolicy(first_delay=0.1, max_delay=1.0, reset_after=0.5)
    with started(Supervisor([web_server("web", tmp_path)], tmp_path, HOST, lines, policy)) as sup:

        def kill_and_heal(restarts: int) -> None:
            os.kill(process_of(sup, "web").pid, signal.SIGKILL)
            heal_until(sup, lambda: len(lines.starting("web restarted")) == restarts)

        kill_and_heal(1)
        kill_and_heal(2)  # straight after coming back: the same crash loop
        time.sleep(0.6)  # up for longer than reset_after
        kill_and_heal(3)

    delays = [line.rsplit(" ", 1)[1] for _, line in lines.starting("web exited")]
    assert delays == ["0.1s", "0.2s", "0.1s"]


def test_a_restarted_part_that_never_gets_healthy_is_killed_and_tried_again(
    tmp_path: Path,
) -> None:
    lines = Lines()
    policy = RestartPolicy(first_delay=0.1, max_delay=1.0, start_timeout=0.5)
    part = flaky("hung", tmp_path, "hang")
    with started(Supervisor([part], tmp_path, HOST, lines, policy)) as supervisor:
        os.kill(process_of(supervisor, "hung").pid, signal.SIGKILL)
        heal_until(supervisor, lambda: len(lines.starting("hung ")) == 2)
        hung = process_of(supervisor, "hung")
        heal_until(supervisor, lambda: hung is not process_of(supervisor, "hung"))

        assert lines.starting("hung not healthy after 0.5s; restarting in 0.2s")
        assert not group_alive(hung.pid)
