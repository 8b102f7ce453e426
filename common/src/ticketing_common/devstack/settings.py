"""Where the embedded stack listens and keeps its data: one environment variable per port."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StackSettings(BaseSettings):
    """Ports and places of the embedded stack; each port is its own environment variable."""

    model_config = SettingsConfigDict(extra="ignore")

    data_dir: Path = Path(".data")
    in_memory: bool = False
    host: str = "127.0.0.1"
    gateway_port: int = 8080
    mongo_port: int = 27017
    nats_port: int = 4222
    stripe_port: int = 8420
    client_port: int = 3000
    auth_port: int = 3001
    tickets_port: int = 3002
    orders_port: int = 3003
    expiration_port: int = 3004
    payments_port: int = 3005
    notifications_port: int = 3006
    # A second orders process the gateway sends the seat-map reads to (parts.reads_part).
    orders_reads_port: int = 3007
    # The dev mailbox (an SMTP server) the notifications service sends to.
    smtp_port: int = 2525
    log_level: str = "INFO"
    # `make cluster`: every port of the multi-node topology is this base plus a fixed
    # offset (see devstack/cluster.py), clear of the single-node defaults above.
    cluster_port_base: int = Field(default=18000, ge=1024, le=64000)
    cluster_replicas: int = Field(default=2, ge=1, le=9)
    extra_env: dict[str, str] = Field(default_factory=dict)

    @property
    def mongo_uri(self) -> str:
        return f"mongodb://{self.host}:{self.mongo_port}/?directConnection=true"

    @property
    def nats_url(self) -> str:
        return f"nats://{self.host}:{self.nats_port}"

    @property
    def stripe_url(self) -> str:
        return f"http://{self.host}:{self.stripe_port}"

    def service_port(self, service: str) -> int:
        port: int = getattr(self, f"{service}_port")
        return port
