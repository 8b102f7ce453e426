"""A small supervisor that runs the whole system on one machine (`make dev`, e2e tests).

Chosen over honcho because it also waits for each part's health before starting
the next, names the setting to change when a port is taken, restarts a part that
exits (with back-off, as Kubernetes would), and stops whole process groups so no
child is left listening.
"""

from ticketing_common.devstack.parts import Part, build_parts
from ticketing_common.devstack.restarts import RestartPolicy
from ticketing_common.devstack.settings import StackSettings
from ticketing_common.devstack.supervisor import PortInUse, StartupFailed, Stopped, Supervisor

__all__ = [
    "Part",
    "PortInUse",
    "RestartPolicy",
    "StackSettings",
    "StartupFailed",
    "Stopped",
    "Supervisor",
    "build_parts",
]
