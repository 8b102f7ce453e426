"""`python -m ticketing_common.devstack`: run the whole system on the embedded default."""

from __future__ import annotations

import signal
import sys
import time
from types import FrameType

from ticketing_common.devstack.parts import StackSettings, build_parts
from ticketing_common.devstack.supervisor import PortInUse, StartupFailed, Supervisor


class _Stop(Exception):
    pass


def _raise_stop(signum: int, _: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def main() -> int:
    settings = StackSettings()
    supervisor = Supervisor(build_parts(settings), settings.data_dir / "logs", settings.host)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    try:
        supervisor.start_all()
        print(f"\nTicketing is running: open http://localhost:{settings.gateway_port}")
        print(f"Logs: {settings.data_dir / 'logs'}/  Data: {settings.data_dir}/  Stop: Ctrl-C\n")
        while (exited := supervisor.first_exited()) is None:
            time.sleep(0.5)
        print(f"{exited.name} stopped unexpectedly:\n{supervisor.tail(exited)}", file=sys.stderr)
        return 1
    except PortInUse as exc:
        print(exc, file=sys.stderr)
        return 2
    except StartupFailed as exc:
        print(f"Start-up failed: {exc}", file=sys.stderr)
        return 1
    except _Stop:
        print("\nstopping ...")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        supervisor.stop_all()


if __name__ == "__main__":
    sys.exit(main())
