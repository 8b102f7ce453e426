"""Benchmark: searching 10,000 events through the tickets HTTP API.

Starts its own SecantusDB (in memory) and nats-server on free ports, bulk-loads
10,000 events through the tickets store, serves the real app with uvicorn and
times 200 search pages that mix free-text words, date ranges and categories.
Run alone with `python -m bench.bench_tickets_search` (prints JSON).
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from bench.support import JWT_KEY, embedded_servers
from ticketing_common.events import utc_now
from ticketing_common.mongo import connect_mongo
from ticketing_common.testing.http import serve
from tickets.config import TicketsSettings
from tickets.domain.drafts import ShowDraft, TicketTypeSpec, Venue
from tickets.domain.shows import Show, new_show
from tickets.main import create_app
from tickets.store.shows import ShowStore

EVENTS = 10_000
QUERIES = 200
PAGE_SIZE = 20
CATEGORIES = ["music", "theatre", "cinema", "sports", "comedy", "conference", "family", "dance"]
ADJECTIVES = [
    "electric",
    "midnight",
    "golden",
    "silent",
    "grand",
    "summer",
    "winter",
    "urban",
    "royal",
    "wild",
    "velvet",
    "neon",
    "acoustic",
    "cosmic",
    "crimson",
    "northern",
]
NOUNS = [
    "jazz",
    "orchestra",
    "festival",
    "gala",
    "nights",
    "sessions",
    "symphony",
    "comedy",
    "derby",
    "premiere",
    "marathon",
    "ballet",
    "summit",
    "showcase",
    "revue",
    "tour",
]
CITIES = [
    "berlin",
    "paris",
    "london",
    "madrid",
    "rome",
    "vienna",
    "prague",
    "lisbon",
    "dublin",
    "oslo",
    "warsaw",
    "zurich",
    "amsterdam",
    "brussels",
    "munich",
    "milan",
]
VENUES = ["arena", "hall", "theatre", "stadium", "club", "opera", "pavilion", "forum"]
FILLER_TEXT = (
    "an evening of live performance with special guests and a programme for everyone "
    "doors open one hour before the start bring your friends"
)
FILLER = FILLER_TEXT.split()


def _draft(rng: random.Random, now: datetime) -> ShowDraft:
    city = rng.choice(CITIES)
    name = f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS).title()} {rng.randint(1, 99)}"
    starts = now + timedelta(days=rng.uniform(0.1, 365))
    description = " ".join(rng.choice(FILLER) for _ in range(25))
    return ShowDraft(
        name=name,
        description=f"{description} {rng.choice(NOUNS)}",
        category=rng.choice(CATEGORIES),
        venue=Venue(
            f"{city.title()} {rng.choice(VENUES).title()}",
            f"{rng.randint(1, 200)} Main St, {city.title()}",
        ),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        hold_minutes=15,
        currency="eur",
        ticket_types=tuple(
            TicketTypeSpec(f"Tier {n}", rng.randint(10, 200) * 100, rng.randint(50, 5000))
            for n in range(1, rng.randint(1, 3) + 1)
        ),
    )


def _shows(rng: random.Random, now: datetime) -> list[Show]:
    return [
        new_show(uuid.uuid4().hex[:24], f"org{n % 50}", _draft(rng, now), now)
        for n in range(EVENTS)
    ]


def _query(rng: random.Random, now: datetime) -> dict[str, str]:
    """One of five shapes a catalog page gets asked most."""
    shape = rng.randrange(5)
    params: dict[str, str] = {"pageSize": str(PAGE_SIZE)}
    day = now + timedelta(days=rng.uniform(0, 300))
    if shape in (0, 1, 4):
        words = [rng.choice(NOUNS + CITIES + ADJECTIVES)]
        if shape == 1:
            words.append(rng.choice(CITIES)[: rng.randint(3, 6)])  # a prefix, as typed
        params["q"] = " ".join(words)
    if shape in (1, 2):
        params["category"] = rng.choice(CATEGORIES)
    if shape in (2, 4):
        params["from"] = day.isoformat()
        params["to"] = (day + timedelta(days=rng.choice([7, 30, 90]))).isoformat()
    if shape == 3:
        params["page"] = str(rng.randint(1, 5))
    return params


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def _measure(base_url: str, rng: random.Random) -> dict[str, Any]:
    now = utc_now()
    latencies: list[float] = []
    totals: list[int] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for _ in range(10):  # warm-up: connections, caches, code paths
            await client.get("/api/events", params=_query(rng, now))
        for _ in range(QUERIES):
            params = _query(rng, now)
            started = time.perf_counter()
            response = await client.get("/api/events", params=params)
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            totals.append(int(response.headers["X-Total-Count"]))
    return {
        "events": EVENTS,
        "queries": QUERIES,
        "page_size": PAGE_SIZE,
        "p50_ms": round(_percentile(latencies, 0.50), 2),
        "p95_ms": round(_percentile(latencies, 0.95), 2),
        "p99_ms": round(_percentile(latencies, 0.99), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "max_ms": round(max(latencies), 2),
        "median_matches": int(statistics.median(totals)),
    }


async def run(report: dict[str, Any]) -> None:
    async with embedded_servers("tickets") as (stack, _):
        settings = TicketsSettings(
            mongo_uri=stack.mongo_uri,
            nats_url=stack.nats_url,
            mongo_db="bench_tickets",
            jwt_key=JWT_KEY,
            log_level="WARNING",
        )
        rng = random.Random(20261121)
        # Seeded before the service starts: its search projection loads what is stored.
        seeded = time.perf_counter()
        mongo = connect_mongo(settings.mongo_uri)
        store = ShowStore(mongo[settings.mongo_db])
        shows = _shows(rng, utc_now())
        for start in range(0, EVENTS, 1000):
            await store.insert_many(shows[start : start + 1000])
        await mongo.close()
        seed_seconds = time.perf_counter() - seeded
        loaded = time.perf_counter()
        async with serve(create_app(settings)) as base_url:
            start_seconds = time.perf_counter() - loaded
            figures = await _measure(base_url, rng)
        report["tickets_search"] = {
            **figures,
            "seed_seconds": round(seed_seconds, 1),
            "service_start_seconds": round(start_seconds, 1),
        }


if __name__ == "__main__":
    result: dict[str, Any] = {}
    asyncio.run(run(result))
    print(json.dumps(result, indent=2))
