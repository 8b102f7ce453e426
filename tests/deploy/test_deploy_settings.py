"""Every setting a service requires (a field without a default in its settings class) is
given to it in every Kubernetes profile and in docker compose; and no service is given a
setting it never reads."""

from __future__ import annotations

import pytest
from deploy_manifests import (
    PROFILES,
    SERVICES,
    app_container,
    compose,
    env_names,
    service_deployment,
    setting_names,
    settings_class,
)

from ticketing_common.config import BaseServiceSettings, StreamLimits

# Read by uvicorn itself (which proxies' X-Forwarded-* headers it believes).
SERVER_SETTINGS = {"FORWARDED_ALLOW_IPS"}


def required(service: str) -> set[str]:
    return {name for name, needed in setting_names(settings_class(service)).items() if needed}


def readable(service: str) -> set[str]:
    """What the service's process reads from its environment."""
    cls = settings_class(service)
    names = set(setting_names(cls)) | SERVER_SETTINGS
    if issubclass(cls, BaseServiceSettings):  # connects to NATS, so creates the stream
        names |= set(setting_names(StreamLimits))
    return names


def test_the_required_settings_are_known() -> None:
    # A guard on the guard: the settings classes are found and read as intended.
    assert "JWT_KEY" in required("auth")
    assert {"JWT_KEY", "TICKET_KEY_SECRET"} <= required("orders")
    assert "STRIPE_SECRET_KEY" in required("payments")
    assert "MONGO_URI" not in required("auth")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("service", SERVICES)
def test_kubernetes_gives_every_required_setting(profile: str, service: str) -> None:
    given = env_names(profile, app_container(service_deployment(profile, service)))
    assert required(service) <= given, f"{service} lacks {required(service) - given}"
    assert given <= readable(service), f"{service} never reads {given - readable(service)}"


@pytest.mark.parametrize("service", SERVICES)
def test_compose_gives_every_required_setting(service: str) -> None:
    environment = compose()["services"][service]["environment"]
    # FOO_FILE is read into FOO by the image's entrypoint (infra/entrypoint.sh).
    given = {name.removesuffix("_FILE") for name in environment}
    assert required(service) <= given, f"{service} lacks {required(service) - given}"
    assert given <= readable(service), f"{service} never reads {given - readable(service)}"


def test_the_client_gets_no_database_broker_or_keys() -> None:
    for profile in PROFILES:
        given = env_names(profile, app_container(service_deployment(profile, "client")))
        assert not given & {"MONGO_URI", "NATS_URL", "JWT_KEY", "MONGO_DB", "COOKIE_SECURE"}
