"""`python -m ticketing_common.devstack [cluster]`: run the whole system on the embedded default.

Without an argument, one process of each part (`make dev`); with `cluster`, the
multi-node topology of `devstack/cluster.py` (`make cluster`). Ctrl-C or SIGTERM only
asks the supervisor to stop; it finishes the step it is in (so no process is started
without being recorded) and then stops every part.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from ticketing_common.devstack import cluster
from ticketing_common.devstack.parts import Part, build_parts
from ticketing_common.devstack.settings import StackSettings
from ticketing_common.devstack.supervisor import PortInUse, StartupFailed, Stopped, Supervisor

USAGE = "usage: python -m ticketing_common.devstack [cluster]"


def topology(args: list[str]) -> tuple[StackSettings, list[Part], str]:
    """The settings the stack runs with, its parts, and a line saying what it is."""
    settings = StackSettings()
    if args == ["cluster"]:
        cluster.check_ports(settings)
        stack, parts = cluster.cluster_stack(settings)
        shape = f"3 NATS nodes (stream R3), {settings.cluster_replicas} replicas per service"
        return stack, parts, f"Cluster: {shape}; logs per replica, e.g. orders-1.log"
    if args:
        raise SystemExit(USAGE)
    return settings, build_parts(settings), ""


def main(args: list[str]) -> int:
    try:
        settings, parts, shape = topology(args)
    except PortInUse as exc:
        print(exc, file=sys.stderr)
        return 2
    supervisor = Supervisor(parts, settings.data_dir / "logs", settings.host)

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        supervisor.request_stop()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        supervisor.start_all()
        print(f"\nTicketing is running: open http://localhost:{settings.gateway_port}")
        if shape:
            print(shape)
        print(f"Logs: {settings.data_dir / 'logs'}/  Data: {settings.data_dir}/  Stop: Ctrl-C\n")
        supervisor.watch()  # restarts what exits, until a signal asks to stop
        print("\nstopping ...")
        return 0
    except PortInUse as exc:
        print(exc, file=sys.stderr)
        return 2
    except StartupFailed as exc:
        print(f"Start-up failed: {exc}", file=sys.stderr)
        return 1
    except Stopped:
        print("\nstopping ...")
        return 0
    finally:
        supervisor.stop_all()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
