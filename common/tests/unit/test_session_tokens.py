"""JWT edge cases: anything but a valid HS256 token for this audience means signed out."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest

from ticketing_common.auth import SessionUser, issue_token, read_token
from ticketing_common.config import BaseServiceSettings
from ticketing_common.events import utc_now

KEY = "k" * 64


@pytest.fixture
def settings() -> BaseServiceSettings:
    return BaseServiceSettings(jwt_key=KEY)


def _claims(**overrides: object) -> dict[str, object]:
    now = utc_now()
    claims: dict[str, object] = {
        "sub": "u1",
        "email": "ada@example.com",
        "aud": "ticketing",
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def test_issued_token_reads_back(settings: BaseServiceSettings) -> None:
    user = SessionUser(id="u1", email="ada@example.com")
    assert read_token(issue_token(user, settings), settings) == user


def test_expired_token_is_signed_out(settings: BaseServiceSettings) -> None:
    token = jwt.encode(_claims(exp=utc_now() - timedelta(seconds=1)), KEY, algorithm="HS256")
    assert read_token(token, settings) is None


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud"])
def test_token_missing_a_required_claim_is_signed_out(
    settings: BaseServiceSettings, missing: str
) -> None:
    claims = _claims()
    del claims[missing]
    assert read_token(jwt.encode(claims, KEY, algorithm="HS256"), settings) is None


def test_wrong_audience_is_signed_out(settings: BaseServiceSettings) -> None:
    token = jwt.encode(_claims(aud="someone-else"), KEY, algorithm="HS256")
    assert read_token(token, settings) is None


def test_token_signed_with_another_key_is_signed_out(settings: BaseServiceSettings) -> None:
    token = jwt.encode(_claims(), "x" * 40, algorithm="HS256")
    assert read_token(token, settings) is None


def test_other_algorithms_are_refused_even_with_the_right_key(
    settings: BaseServiceSettings,
) -> None:
    token = jwt.encode(_claims(), KEY, algorithm="HS512")
    assert read_token(token, settings) is None


def _b64(data: dict[str, object]) -> str:
    raw = json.dumps(data, default=lambda d: int(d.timestamp())).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_alg_none_token_is_signed_out(settings: BaseServiceSettings) -> None:
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}."
    assert read_token(token, settings) is None


def test_tampered_payload_is_signed_out(settings: BaseServiceSettings) -> None:
    header, _, signature = issue_token(SessionUser(id="u1", email="a@b.c"), settings).split(".")
    forged = _b64(_claims(sub="admin"))
    assert read_token(f"{header}.{forged}.{signature}", settings) is None


def test_garbage_is_signed_out(settings: BaseServiceSettings) -> None:
    assert read_token("not-a-token", settings) is None


def test_short_signing_key_is_refused_at_start_up() -> None:
    with pytest.raises(ValueError, match="jwt_key"):
        BaseServiceSettings(jwt_key="short")
