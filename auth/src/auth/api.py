"""Routes of the auth service (the original ticketing API)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, EmailStr, Field

from auth.config import AuthSettings
from auth.domain import PASSWORD_MAX, PASSWORD_MIN, SigninThrottle, User
from auth.handlers import sign_in, sign_up
from auth.store import UserStore
from ticketing_common.auth import (
    OptionalUser,
    SessionUser,
    clear_session_cookie,
    issue_token,
    set_session_cookie,
)
from ticketing_common.events import utc_now
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


def get_store(request: Request) -> UserStore:
    return container_of(request, UserStore)


def get_settings(request: Request) -> AuthSettings:
    return settings_of(request, AuthSettings)


StoreDep = Annotated[UserStore, Depends(get_store)]
SettingsDep = Annotated[AuthSettings, Depends(get_settings)]


def _client_address(request: Request) -> str:
    # The gateway appends the peer address last; earlier entries are client-supplied.
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.client.host if request.client else "unknown"


def _start_session(response: Response, user: User, settings: AuthSettings) -> UserOut:
    token = issue_token(SessionUser(id=user.id, email=user.email), settings)
    set_session_cookie(response, token, settings)
    return UserOut(id=user.id, email=user.email)


@router.post("/signup", status_code=status.HTTP_201_CREATED)
async def signup(
    body: Credentials,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
) -> UserOut:
    user = await sign_up(body.email, body.password, store, utc_now())
    return _start_session(response, user, settings)


@router.post("/signin")
async def signin(
    body: SigninCredentials,
    request: Request,
    response: Response,
    store: StoreDep,
    settings: SettingsDep,
) -> UserOut:
    throttle = SigninThrottle(
        settings.signin_max_failures, timedelta(seconds=settings.signin_window_seconds)
    )
    user = await sign_in(
        body.email, body.password, _client_address(request), store, throttle, utc_now()
    )
    return _start_session(response, user, settings)


@router.post("/signout")
async def signout(response: Response, settings: SettingsDep) -> dict[str, str]:
    clear_session_cookie(response, settings)
    return {}


@router.get("/currentuser")
async def currentuser(user: OptionalUser) -> CurrentUserOut:
    return CurrentUserOut(currentUser=UserOut(id=user.id, email=user.email) if user else None)
