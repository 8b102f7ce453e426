"""Routes of the auth service (the original ticketing API), and sign-out everywhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, EmailStr, Field

from auth.config import AuthSettings
from auth.domain import PASSWORD_MAX, PASSWORD_MIN, SessionEnd, SigninThrottle, User
from auth.handlers import sign_in, sign_out, sign_out_everywhere, sign_up
from auth.store import UserStore
from ticketing_common.auth import (
    CurrentSession,
    OptionalSession,
    OptionalUser,
    Session,
    SessionUser,
    clear_session_cookie,
    issue_token,
    revocations_of,
    set_session_cookie,
)
from ticketing_common.events import UserSignedOut, utc_now
from ticketing_common.openapi_errors import error_responses
from ticketing_common.proxies import client_address
from ticketing_common.wiring import container_of, settings_of

router = APIRouter(prefix="/api/users", tags=["users"])


class Credentials(BaseModel):
    email: EmailStr
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)


class SigninCredentials(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=PASSWORD_MAX)


class UserOut(BaseModel):
    id: str
    email: str


class CurrentUserOut(BaseModel):
    currentUser: UserOut | None  # noqa: N815 - the original API's field name


async def get_store(request: Request) -> UserStore:
    return container_of(request, UserStore)


async def get_settings(request: Request) -> AuthSettings:
    return settings_of(request, AuthSettings)


StoreDep = Annotated[UserStore, Depends(get_store)]
SettingsDep = Annotated[AuthSettings, Depends(get_settings)]


def _start_session(
    request: Request, response: Response, user: User, settings: AuthSettings
) -> UserOut:
    session_user = SessionUser(id=user.id, email=user.email)
    token = issue_token(session_user, settings, generation=user.session_generation)
    set_session_cookie(request, response, token, settings)
    return UserOut(id=user.id, email=user.email)


def _ending(session: Session) -> SessionEnd:
    return SessionEnd(session.user.id, session.id, session.generation, session.expires_at)


def _refuse_at_once(request: Request, event: UserSignedOut) -> None:
    # This process stops accepting the token now; the others within moments, from the stream.
    if (revocations := revocations_of(request)) is not None:
        revocations.apply(event)


@router.post("/signup", status_code=status.HTTP_201_CREATED)
async def signup(
    body: Credentials,
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
) -> UserOut:
    user = await sign_up(body.email, body.password, store, utc_now())
    return _start_session(request, response, user, settings)


@router.post("/signin", responses=error_responses(429))
async def signin(
    body: SigninCredentials,
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
) -> UserOut:
    throttle = SigninThrottle(
        settings.signin_max_failures,
        timedelta(seconds=settings.signin_window_seconds),
        settings.signin_max_failures_per_client,
    )
    client = client_address(request, settings.trusted_proxies)
    user = await sign_in(body.email, body.password, client, store, throttle, utc_now())
    return _start_session(request, response, user, settings)


@router.post("/signout")
async def signout(
    request: Request,
    response: Response,
    session: OptionalSession,
    store: StoreDep,
    settings: SettingsDep,
) -> dict[str, str]:
    """Ends this session on every service (its token is refused from now on)."""
    if session is not None:
        _refuse_at_once(request, await sign_out(_ending(session), store))
    clear_session_cookie(request, response, settings)
    return {}


@router.post("/signout/everywhere")
async def signout_everywhere(
    request: Request,
    response: Response,
    session: CurrentSession,
    store: StoreDep,
    settings: SettingsDep,
) -> dict[str, str]:
    """Ends every session of the signed-in user, on every device and every service."""
    lifetime = timedelta(seconds=settings.jwt_ttl_seconds)
    event = await sign_out_everywhere(_ending(session), store, utc_now(), lifetime)
    _refuse_at_once(request, event)
    clear_session_cookie(request, response, settings)
    return {}


@router.get("/currentuser")
async def currentuser(user: OptionalUser) -> CurrentUserOut:
    return CurrentUserOut(currentUser=UserOut(id=user.id, email=user.email) if user else None)
