from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ariaforge.auth.passwords import MAX_LENGTH, MIN_LENGTH
from ariaforge.core.schemas import StrictModel
from ariaforge.text import DisplayName, Email

Password = Annotated[str, StringConstraints(min_length=1, max_length=MAX_LENGTH)]
# A new password: its lengths are in the schema; the rest of the policy (common and
# guessable passwords, too few different characters) answers 422 `password_policy`.
NewPassword = Annotated[str, Field(
    min_length=MIN_LENGTH, max_length=MAX_LENGTH, pattern=r"^[^\x00]*$",
    description=f"{MIN_LENGTH}-{MAX_LENGTH} characters, not a common or guessable password")]
TokenString = Annotated[str, StringConstraints(min_length=1, max_length=4096)]



class RegisterRequest(StrictModel):
    email: Email
    password: NewPassword
    display_name: DisplayName | None = None


class LoginRequest(StrictModel):
    email: Email
    password: Password
    device_token: TokenString | None = Field(
        default=None, description="the `device_token` of an earlier login to this account "
        "(clients without cookies): its failed logins are then limited on their own, so "
        "strangers' failures cannot lock this client out")


class RefreshRequest(StrictModel):
    refresh_token: TokenString


class LogoutRequest(StrictModel):
    refresh_token: TokenString | None = None


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 scheme name
    expires_in: int = Field(description="seconds until the access token expires")
    device_token: str | None = Field(
        default=None, description="login only: marks this client as one that has logged in "
        "to the account (also set as an HttpOnly cookie); send it with later logins")


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    email: str
    display_name: str
    created_at: datetime
