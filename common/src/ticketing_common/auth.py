"""Sessions: an HS256 JWT in an httpOnly cookie, and the dependencies that read it.

A tampered, expired, wrongly-signed or `alg=none` token simply means "signed out".
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import jwt
from fastapi import Depends, Request, Response
from pydantic import BaseModel

from ticketing_common.config import BaseServiceSettings
from ticketing_common.domain_errors import NotAuthorized
from ticketing_common.events import utc_now
from ticketing_common.wiring import settings_of

ALGORITHM = "HS256"


class SessionUser(BaseModel):
    id: str
    email: str


def issue_token(user: SessionUser, settings: BaseServiceSettings) -> str:
    now = utc_now()
    claims = {
        "sub": user.id,
        "email": user.email,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + timedelta(seconds=settings.jwt_ttl_seconds),
    }
    return jwt.encode(claims, settings.jwt_key.get_secret_value(), algorithm=ALGORITHM)


def read_token(token: str, settings: BaseServiceSettings) -> SessionUser | None:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_key.get_secret_value(),
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            options={"require": ["exp", "iat", "sub", "aud"]},
        )
    except jwt.PyJWTError:
        return None
    email = claims.get("email")
    if not isinstance(email, str) or not isinstance(claims["sub"], str):
        return None
    return SessionUser(id=claims["sub"], email=email)


def set_session_cookie(response: Response, token: str, settings: BaseServiceSettings) -> None:
    response.set_cookie(
        settings.cookie_name,
        token,
        max_age=settings.jwt_ttl_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


def clear_session_cookie(response: Response, settings: BaseServiceSettings) -> None:
    response.delete_cookie(
        settings.cookie_name,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        path="/",
    )


def optional_user(request: Request) -> SessionUser | None:
    settings = settings_of(request, BaseServiceSettings)
    token = request.cookies.get(settings.cookie_name)
    return read_token(token, settings) if token else None


def current_user(user: Annotated[SessionUser | None, Depends(optional_user)]) -> SessionUser:
    if user is None:
        raise NotAuthorized()
    return user


OptionalUser = Annotated[SessionUser | None, Depends(optional_user)]
CurrentUser = Annotated[SessionUser, Depends(current_user)]
