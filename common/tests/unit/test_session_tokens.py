"""JWT edge cases: anything but a valid HS256 token for this audience means signed out."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jwt
import pytest

from ticketing_common.auth import SessionUser, issue_token, read_session, read_token
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
        "sid": "s1",
        "gen": 0,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def test_issued_token_reads_back(settings: BaseServiceSettings) -> None:
    user = SessionUser(id="u1", email="ada@example.com")
    assert read_token(issue_token(user, settings), settings) == user


def test_every_token_names_a_session_of_its_own_and_its_generation(
    settings: BaseServiceSettings,
) -> None:
    user = SessionUser(id="u1", email="ada@example.com")
    first = read_session(issue_token(user, settings, generation=3), settings)
    second = read_session(issue_token(user, settings, generation=3), settings)
    assert first is not None
    assert second is not None
    assert first.id != second.id
    assert (first.generation, first.user) == (3, user)
    assert first.expires_at > utc_now()


def test_a_claims_only_token_of_the_expected_shape_reads_back(
    settings: BaseServiceSettings,
) -> None:
    token = jwt.encode(_claims(), KEY, algorithm="HS256")
    assert read_token(token, settings) == SessionUser(id="u1", email="ada@example.com")


@pytest.mark.parametrize(
    "bad", [{"gen": "0"}, {"gen": True}, {"sid": ""}, {"sid": 7}, {"email": None}]
)
def test_session_claims_of_the_wrong_type_are_signed_out(
    settings: BaseServiceSettings, bad: dict[str, object]
) -> None:
    claims = {**_claims(), **bad}
    claims = {k: v for k, v in claims.items() if v is not None}
    assert read_token(jwt.encode(claims, KEY, algorithm="HS256"), settings) is None


def test_expired_token_is_signed_out(settings: BaseServiceSettings) -> None:
    token = jwt.encode(_claims(exp=utc_now() - timedelta(seconds=1)), KEY, algorithm="HS256")
    assert read_token(token, settings) is None


@pytest.mark.parametrize("missing", ["exp", "iat", "sub", "aud", "sid", "gen"])
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
