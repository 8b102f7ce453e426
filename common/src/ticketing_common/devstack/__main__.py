"""`python -m ticketing_common.devstack`: run the whole system on the embedded default.

Ctrl-C or SIGTERM only asks the supervisor to stop; it finishes the step it is in (so
no process is started without being recorded) and then stops every part.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

from ticketing_common.devstack.parts import build_parts
from ticketing_common.devstack.settings import StackSettings
from ticketing_common.devstack.supervisor import PortInUse, StartupFailed, Stopped, Supervisor


def main() -> int:
    settings = StackSettings()
    supervisor = Supervisor(build_parts(settings), settings.data_dir / "logs", settings.host)

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        supervisor.request_stop()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        supervisor.start_all()
        print(f"\nTicketing is running: open http://localhost:{settings.gateway_port}")
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
    sys.exit(main())
