"""Who is calling: API keys with roles, and web sign-ins opened with them.

Keys come from `COACH_API_KEYS` ("key:role:user,...") and from the key store (`coach keys
create`), which holds only their SHA-256. With no key anywhere the server is in local mode:
one local user with both roles, served on loopback only (the HTTP door enforces that). A
server that has had keys never drops back to local mode, whatever is revoked: it fails closed.

The `widget` role is for the embeddable chat page, whose key every visitor shares: it can chat
but never list or read conversations, tickets or plans.

A web sign-in (OWASP session management) is a random token the browser keeps (the HTTP door
puts it in an HttpOnly cookie) and the store knows only by its hash; it expires, is revocable
at sign-out, and takes its roles from the key that opened it, checked again on every use, so
revoking the key ends it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import secrets
import threading
import time
from dataclasses import dataclass

from coach.community.people import Caller
from coach.ports import KeyStore, SignInStore
from coach.records import SignInRecord

EMPLOYEE = "employee"
LEARNING_OPS = "learning_ops"
WIDGET = "widget"
ROLES = frozenset({EMPLOYEE, LEARNING_OPS, WIDGET})
LOCAL_USER = "local"
_CACHE_SECONDS = 5.0


@dataclass(frozen=True)
class Principal:
    user: str
    roles: frozenset[str]

    @property
    def is_learning_ops(self) -> bool:
        return LEARNING_OPS in self.roles

    @property
    def reads_history(self) -> bool:
        """Whether this caller may list and read stored conversations, tickets and plans: a
        shared widget key may not (everyone using the widget is the same user)."""
        return bool(self.roles - {WIDGET})


LOCAL_PRINCIPAL = Principal(LOCAL_USER, frozenset({EMPLOYEE, LEARNING_OPS}))


def caller_of(principal: Principal) -> Caller:
    """Who acts, as the community sees them: a person, or a key many people share (a widget
    key is nobody in particular, and may not own interests, notices or plans)."""
    if not principal.reads_history:
        return Caller.shared(principal.user)
    return Caller.person(principal.user, learning_ops=principal.is_learning_ops)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_roles(text: str) -> frozenset[str]:
    roles = frozenset(r.strip() for r in text.split("+") if r.strip())
    if not roles or not roles <= ROLES:
        raise ValueError(f"unknown role in '{text}' (roles: employee, learning_ops, widget)")
    return roles


def parse_key_list(text: str) -> dict[str, Principal]:
    """'key:role:user,...' → principals by key hash. Errors never repeat an entry: it holds a
    key."""
    keys: dict[str, Principal] = {}
    for number, entry in enumerate(filter(None, (e.strip() for e in text.split(","))), start=1):
        parts = entry.split(":")
        if len(parts) != 3 or not all(parts):
            raise ValueError(
                f"COACH_API_KEYS entry {number} is not key:role:user "
                f"({len(parts)} field(s), some empty: {not all(parts)}); the entry is not shown "
                "because it holds a key"
            )
        key, roles, user = parts
        keys[hash_key(key)] = Principal(user, parse_roles(roles))
    return keys


def is_loopback(host: str | None) -> bool:
    """Whether a peer address is this machine. Unknown (a Unix socket, where anything may sit
    in front) is not."""
    if host is None:
        return False
    if host in ("localhost", "testclient"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class KeyRing:
    def __init__(self, configured: dict[str, Principal], store: KeyStore) -> None:
        self._configured = configured
        self._store = store
        self._lock = threading.Lock()
        self._stored_count: tuple[float, int] = (0.0, 0)
        # Once keyed, always keyed: revoking the last key locks everyone out rather than
        # opening the server to anyone who can reach it; a revoked key still counts, so a
        # restart does not reopen it either.
        self._keyed = bool(configured) or self._store.count(include_revoked=True) > 0

    def create(self, role: str, user: str) -> str:
        """A new key (shown once); only its hash is stored."""
        parse_roles(role)
        key = f"loc_{secrets.token_urlsafe(24)}"
        self._store.add(hash_key(key), role, user)
        self._stored_count = (0.0, 0)
        return key

    def revoke(self, user: str) -> int:
        revoked = self._store.revoke_all(user)
        self._stored_count = (0.0, 0)
        return revoked

    def _stored_keys(self) -> int:
        with self._lock:
            checked, count = self._stored_count
            if time.monotonic() - checked < _CACHE_SECONDS:
                return count
        count = self._store.count(include_revoked=False)
        with self._lock:
            self._stored_count = (time.monotonic(), count)
        return count

    @property
    def local_mode(self) -> bool:
        if not self._keyed and self._stored_keys() > 0:
            self._keyed = True
        return not self._keyed

    def configured_team(self) -> set[str]:
        """The users of configured keys with the learning_ops role."""
        return {p.user for p in self._configured.values() if p.is_learning_ops}

    def principal_of_hash(self, digest: str) -> Principal | None:
        """The principal of a key given by its hash, if the key is still valid."""
        if (principal := self._configured.get(digest)) is not None:
            return principal
        stored = self._store.find(digest)
        return Principal(stored.user, parse_roles(stored.role)) if stored else None

    def principal(self, key: str) -> Principal | None:
        return self.principal_of_hash(hash_key(key))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Opened:
    token: str  # for the browser, never stored
    csrf: str  # for forms the signed-in person posts (sign-out)


class WebSessions:
    def __init__(self, store: SignInStore, keys: KeyRing, *, hours: float) -> None:
        self._store = store
        self._keys = keys
        self._lifetime = dt.timedelta(hours=hours)

    @property
    def lifetime_seconds(self) -> int:
        return int(self._lifetime.total_seconds())

    def open(self, key: str) -> tuple[Principal, Opened] | None:
        """A session for a valid key, or None."""
        principal = self._keys.principal(key)
        if principal is None:
            return None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        now = dt.datetime.now(dt.UTC)
        self._store.add(
            SignInRecord(
                id=_digest(token),
                user=principal.user,
                roles="+".join(sorted(principal.roles)),
                key_hash=hash_key(key),
                csrf=csrf,
                created_at=now,
                expires_at=now + self._lifetime,
            )
        )
        return principal, Opened(token, csrf)

    def _record(self, token: str) -> SignInRecord | None:
        record = self._store.get(_digest(token))
        if (
            record is None
            or record.revoked_at is not None
            or record.expires_at <= dt.datetime.now(dt.UTC)
        ):
            return None
        return record

    def principal(self, token: str) -> Principal | None:
        """Who a session token belongs to, with the roles of the key that opened it."""
        record = self._record(token)
        if record is None:
            return None
        # The key was revoked: so is every session it opened.
        return self._keys.principal_of_hash(record.key_hash)

    def csrf(self, token: str) -> str | None:
        record = self._record(token)
        return record.csrf if record else None

    def close(self, token: str) -> None:
        self._store.revoke(_digest(token))

    def close_all_of(self, user: str) -> int:
        return self._store.revoke_all_of(user)
