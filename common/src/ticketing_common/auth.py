"""Sessions: an HS256 JWT in an httpOnly cookie, and the dependencies that read it.

A token names its session (`sid`) and the user's session generation (`gen`); a tampered,
expired, wrongly-signed or `alg=none` token, one without those claims, and one whose
session has ended (see `revocation`) all simply mean "signed out".
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated

import jwt
from fastapi import Depends, Request, Response
from pydantic import BaseModel

from ticketing_common.config import BaseServiceSettings
from ticketing_common.domain_errors import NotAuthorized
from ticketing_common.events import utc_now
from ticketing_common.proxies import wants_secure_cookie
from ticketing_common.revocation import Revocations, SessionClaims
from ticketing_common.wiring import settings_of

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "aud", "sid", "gen"]


class SessionUser(BaseModel):
    id: str
    email: str


class Session(BaseModel):
    """A valid token's session: whose it is, its id and generation, when it expires."""

    user: SessionUser
    id: str
    generation: int
    expires_at: datetime

    def claims(self) -> SessionClaims:
        return SessionClaims(self.user.id, self.id, self.generation)


def issue_token(user: SessionUser, settings: BaseServiceSettings, *, generation: int = 0) -> str:
    """A token for a new session of `user` (of the user's current session `generation`)."""
    now = utc_now()
    claims = {
        "sub": user.id,
        "email": user.email,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + timedelta(seconds=settings.jwt_ttl_seconds),
        "sid": uuid.uuid4().hex,
        "gen": generation,
    }
    return jwt.encode(claims, settings.jwt_key.get_secret_value(), algorithm=ALGORITHM)


def read_session(token: str, settings: BaseServiceSettings) -> Session | None:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_key.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError:
        return None
    email, sid, gen, sub = claims.get("email"), claims["sid"], claims["gen"], claims["sub"]
    if not all(isinstance(value, str) and value for value in (email, sid, sub)):
        return None
    if not isinstance(gen, int) or isinstance(gen, bool) or not isinstance(claims["exp"], int):
        return None
    return Session(
        user=SessionUser(id=sub, email=email),
        id=sid,
        generation=gen,
        expires_at=datetime.fromtimestamp(claims["exp"], utc_now().tzinfo),
    )


def read_token(token: str, settings: BaseServiceSettings) -> SessionUser | None:
    session = read_session(token, settings)
    return session.user if session else None


def set_session_cookie(
    request: Request, response: Response, token: str, settings: BaseServiceSettings
) -> None:
    response.set_cookie(
        settings.cookie_name,
        token,
        max_age=settings.jwt_ttl_seconds,
        httponly=True,
        samesite="lax",
        secure=wants_secure_cookie(request, settings.cookie_secure, settings.trusted_proxies),
        path="/",
    )


def clear_session_cookie(
    request: Request, response: Response, settings: BaseServiceSettings
) -> None:
    response.delete_cookie(
        settings.cookie_name,
        httponly=True,
        samesite="lax",
        secure=wants_secure_cookie(request, settings.cookie_secure, settings.trusted_proxies),
        path="/",
    )


def revocations_of(request: Request) -> Revocations | None:
    revocations = getattr(request.app.state, "revocations", None)
    return revocations if isinstance(revocations, Revocations) else None


async def optional_session(request: Request) -> Session | None:
    """The request's live session: None when signed out, tampered, expired or revoked."""
    settings = settings_of(request, BaseServiceSettings)
    token = request.cookies.get(settings.cookie_name)
    session = read_session(token, settings) if token else None
    revocations = revocations_of(request)
    if session is None or (revocations is not None and revocations.is_revoked(session.claims())):
        return None
    return session


OptionalSession = Annotated[Session | None, Depends(optional_session)]


async def optional_user(session: OptionalSession) -> SessionUser | None:
    return session.user if session else None


async def current_session(session: OptionalSession) -> Session:
    """The live session, or 401: what every signed-in route depends on."""
    if session is None:
        raise NotAuthorized()
    return session


CurrentSession = Annotated[Session, Depends(current_session)]


async def current_user(session: CurrentSession) -> SessionUser:
    return session.user


OptionalUser = Annotated[SessionUser | None, Depends(optional_user)]
CurrentUser = Annotated[SessionUser, Depends(current_user)]
