"""The NATS servers' configuration as nats-server 2.15.1 reads it, and stream limits that
fit the servers' storage and keep everything that must still be read."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from deploy_manifests import PROFILES, named, tool

from ticketing_common.config import BaseServiceSettings, StreamLimits
from ticketing_common.messaging.stream import stream_config

SIZES = {"MB": 1024**2, "GB": 1024**3}
LONGEST_HOLD_SECONDS = 60 * 60  # tickets caps an event's hold time at 60 minutes


def nats_conf(profile: str) -> str:
    return str(named(profile, "ConfigMap", "nats-config")["data"]["nats.conf"])


@pytest.mark.parametrize("profile", PROFILES)
def test_nats_server_accepts_the_configuration(profile: str, tmp_path: Path) -> None:
    conf = tmp_path / "nats.conf"
    conf.write_text(nats_conf(profile))
    env = {**os.environ, "POD_NAME": "nats-0", "NATS_PASSWORD": "test-password"}
    result = subprocess.run(
        [tool("nats-server"), "-c", str(conf), "-t"], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    text = nats_conf(profile)
    assert "sync_interval: always" in text
    assert "password: $NATS_PASSWORD" in text


def stream_limits(profile: str) -> StreamLimits:
    data = named(profile, "ConfigMap", "ticketing-config")["data"]
    values = {key.removeprefix("NATS_STREAM_").lower(): value for key, value in data.items()}
    return StreamLimits.model_validate({k: values[k] for k in StreamLimits.model_fields})


@pytest.mark.parametrize("profile", PROFILES)
def test_the_stream_fits_each_server_and_keeps_what_is_still_read(profile: str) -> None:
    limits = stream_limits(profile)
    (number, unit), *_ = re.findall(r"max_file_store: (\d+)(MB|GB)", nats_conf(profile))
    server_store = int(number) * SIZES[unit]
    # JetStream reserves max_bytes on every replica and refuses a stream beyond it.
    assert limits.max_bytes <= server_store
    volume = named(profile, "StatefulSet", "nats")["spec"]["volumeClaimTemplates"][0]
    storage = volume["spec"]["resources"]["requests"]["storage"]
    assert int(storage.removesuffix("Gi")) * 1024**3 > server_store
    session = BaseServiceSettings.model_fields["jwt_ttl_seconds"].default
    assert limits.max_age_seconds >= 10 * max(session, LONGEST_HOLD_SECONDS)
    config = stream_config(3, limits)
    assert config.duplicate_window is not None
    assert config.max_age == limits.max_age_seconds > config.duplicate_window


def test_the_default_limits_hold_on_a_single_dev_server() -> None:
    defaults = StreamLimits()
    assert defaults.max_bytes <= 1024**3  # reserved up front on `make dev`'s server too
    assert defaults.max_age_seconds >= 7 * 24 * 3600
