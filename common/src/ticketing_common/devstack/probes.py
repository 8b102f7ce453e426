"""Is a port free, does a part answer: the questions the supervisor asks over sockets."""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import urllib.request
from pathlib import Path

from ticketing_common.devstack.parts import Part


def port_is_free(host: str, port: int) -> bool:
    """Strict: anything bound to the port, even a closing connection, counts as taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def ephemeral_ports() -> range:
    """The ports the kernel hands to outgoing connections (Linux's setting, else the
    IANA range). A server's port picked among them can be taken by any connect made
    before the server binds it, as a cluster's start-up makes hundreds of."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return range(int(low), int(high) + 1)
    except (OSError, ValueError):
        return range(49152, 65536)


def random_port_base(span: int, step: int = 1) -> int:
    """A random base whose `span` ports lie clear of the ephemeral range (and of the
    privileged and well-known ports below 10000)."""
    ephemeral = ephemeral_ports()
    below = range(10000, ephemeral.start - span + 1, step)
    above = range(ephemeral.stop, 65536 - span + 1, step)
    if not below and not above:
        raise RuntimeError(f"no {span} ports clear of the ephemeral range {ephemeral}")
    pick = random.randrange(len(below) + len(above))  # noqa: S311 - not a secret
    return below[pick] if pick < len(below) else above[pick - len(below)]


def port_is_free_to_listen(host: str, port: int) -> bool:
    """Free for a server that sets SO_REUSEADDR, as every part does.

    A killed part leaves its connections in TIME_WAIT for up to a minute; they block
    a plain bind but not the restarted server, so only a listener left behind counts.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def answers(host: str, part: Part) -> bool:
    """Healthy: its health path says 200, or, without one, its port accepts a connection."""
    if part.health_path is None:
        with contextlib.suppress(OSError), socket.create_connection((host, part.port), 0.5):
            return True
        return False
    url = f"http://{host}:{part.port}{part.health_path}"
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    # Not HTTP yet is not healthy yet, whatever answered: polling a port nothing listens
    # on yet, the probe's connection can meet itself (a TCP self-connect) and read its
    # own request back (a `BadStatusLine`, seen once in a cluster start-up).
    except (OSError, http.client.HTTPException):
        return False
