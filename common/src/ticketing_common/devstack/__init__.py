"""A small supervisor that runs the whole system on one machine (`make dev`, e2e tests).

Chosen over honcho because it also waits for each part's health before starting
the next, names the setting to change when a port is taken, and stops whole
process groups so no child is left listening.
"""

from ticketing_common.devstack.parts import Part, StackSettings, build_parts
from ticketing_common.devstack.supervisor import PortInUse, StartupFailed, Supervisor

__all__ = ["Part", "PortInUse", "StackSettings", "StartupFailed", "Supervisor", "build_parts"]
