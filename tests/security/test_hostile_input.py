"""The hostile-input probe of issue 11, through the gateway: what it found now gets a 4xx in
the error shape, never a 5xx, and leaves the connection usable."""

from __future__ import annotations

import httpx
import pytest
from security_kit import sign_up

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

PAGED_LISTS = ["/api/orders", "/api/tickets", "/api/events"]


@pytest.mark.parametrize("path", PAGED_LISTS)
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"page": "1000000000000000000"}, "page", "Page must be at most 100000"),
        ({"page": "0"}, "page", "Page must be at least 1"),
        ({"pageSize": "1000"}, "pageSize", "Page size must be at most 100"),
        ({"page": "x"}, "page", "Page must be a whole number"),
    ],
)
async def test_paging_out_of_bounds_is_a_400_naming_the_parameter(
    running_stack: str, path: str, query: dict[str, str], field: str, message: str
) -> None:
    async with sign_up(running_stack, "pager") as client:
        response = await client.get(path, params=query)
    assert response.status_code == 400, response.text
    assert response.json() == {"errors": [{"message": message, "field": field}]}


@pytest.mark.parametrize("signature", ["t=" + "9" * 5000 + ",v1=abc", "t=\u00b2,v1=abc"])
async def test_a_malformed_webhook_signature_is_a_400_and_the_next_request_is_served(
    running_stack: str, signature: str
) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        for _ in range(3):  # the gateway's kept-alive connection to payments stays good
            response = await client.post(
                "/api/payments/webhook",
                content=b"{}",
                headers={"Stripe-Signature": signature.encode()},
            )
            assert response.status_code == 400, response.text
            after = await client.get("/api/payments", params={"orderId": "x"})
            assert after.status_code == 401, after.text


async def test_an_oversized_body_is_a_413_in_the_error_shape(running_stack: str) -> None:
    body = {"email": "x" * 100_000 + "@example.com", "password": "whatever1"}
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        response = await client.post("/api/users/signin", json=body)
        assert response.status_code == 413
        assert response.json() == {"errors": [{"message": "Request body too large"}]}
        assert (await client.get("/api/users/currentuser")).status_code == 200


async def test_oversized_headers_are_a_431_in_the_error_shape(running_stack: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        response = await client.get("/api/tickets", headers={"Cookie": "c=" + "x" * 14_000})
    assert response.status_code == 431
    assert response.json() == {"errors": [{"message": "Request headers too large"}]}


@pytest.mark.parametrize("given", ["x" * 5000, "<script>alert(1)</script>", "a b"])
async def test_a_request_id_that_is_not_an_id_is_not_echoed(running_stack: str, given: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        response = await client.get("/api/tickets", headers={"X-Request-Id": given})
    assert response.headers["x-request-id"] != given
    assert len(response.headers["x-request-id"]) == 32


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u200d\ufeff", " \u3164 "])
async def test_a_title_of_only_invisible_characters_is_refused_by_name(
    running_stack: str, title: str
) -> None:
    async with sign_up(running_stack, "seller") as seller:
        response = await seller.post("/api/tickets", json={"title": title, "price": 10})
    assert response.status_code == 400
    assert response.json() == {"errors": [{"message": "Title must not be empty", "field": "title"}]}


async def test_the_web_app_sends_its_security_headers(running_stack: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        response = await client.get("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"


async def test_a_body_past_the_gateways_limit_is_never_taken(running_stack: str) -> None:
    # The gateway stops reading at 4 MB and answers 413 in the error shape; a client
    # still uploading may see the connection cut before it reads that answer.
    async with httpx.AsyncClient(base_url=running_stack, timeout=60) as client:
        try:
            huge = await client.post(
                "/api/users/signin",
                content=b"x" * (10 * 1024 * 1024),
                headers={"content-type": "application/json"},
            )
        except httpx.TransportError:
            return
    assert huge.status_code == 413
    assert huge.json()["errors"][0]["message"] == "Request body too large"


async def test_a_64_kb_cookie_is_a_431_in_the_error_shape(running_stack: str) -> None:
    async with httpx.AsyncClient(base_url=running_stack, timeout=30) as client:
        cookie = await client.get("/api/tickets", headers={"Cookie": "c=" + "x" * 64_000})
    assert cookie.status_code == 431
    assert cookie.json()["errors"][0]["message"]
