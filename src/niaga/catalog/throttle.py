"""Spam limits on the catalogue's inquiry form: how many a client address may send.

Counted in the shared Django cache (Redis when several app servers run), so
every server sees the same counts. The address is the one the rest of Niaga
uses (`niaga.accounts.throttle.client_ip`: REMOTE_ADDR, or the address our
own reverse proxy appended last). Each window is fixed and starts with the
address's first counted inquiry in it.
"""

from __future__ import annotations

import dataclasses
import hashlib

from django.core.cache import cache

from niaga.accounts.throttle import client_ip


@dataclasses.dataclass(frozen=True)
class Limit:
    name: str
    seconds: int
    count: int


LIMITS = (Limit("hour", 3600, 5), Limit("day", 24 * 3600, 20))


def _key(limit: Limit, address: str) -> str:
    # Hashed: the cache is no place to keep client addresses in clear.
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]
    return f"catalog:inquiries:{limit.name}:{digest}"


def refused(request) -> Limit | None:
    """The limit this request's address has already reached, or None."""
    address = client_ip(request)
    counts = cache.get_many([_key(limit, address) for limit in LIMITS])
    for limit in LIMITS:
        if counts.get(_key(limit, address), 0) >= limit.count:
            return limit
    return None


def count(request) -> Limit | None:
    """Count one inquiry from this request's address; the limit it overran, or None.

    Counting happens before saving, and atomically (cache increments), so two
    servers taking the sixth inquiry of an hour at once cannot both accept it:
    a caller that gets a Limit back must save nothing.
    """
    address = client_ip(request)
    overrun = None
    for limit in LIMITS:
        key = _key(limit, address)
        cache.add(key, 0, timeout=limit.seconds)
        try:
            value = cache.incr(key)
        except ValueError:  # expired between add and incr: start again
            cache.set(key, 1, timeout=limit.seconds)
            value = 1
        if value > limit.count and overrun is None:
            overrun = limit
    return overrun
