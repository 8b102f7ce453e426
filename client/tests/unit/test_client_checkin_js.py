"""static/checkin.js's pure functions under node: key parsing, Ed25519 verification with
WebCrypto (a keypair made here), the server's answers, what the door sees, the queue."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import client

SCRIPT = Path(client.__file__).parent / "static" / "checkin.js"

SETUP = """
const checkin = require(process.argv.at(-1));
const { subtle } = globalThis.crypto;
const b64url = (bytes) => Buffer.from(bytes).toString("base64url");
async function keypair() {
  const pair = await subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const raw = new Uint8Array(await subtle.exportKey("raw", pair.publicKey));
  return { pair, publicKey: b64url(raw) };
}
async function sign(pair, kid, payload) {
  const bytes = Buffer.from(JSON.stringify(payload));
  const signature = await subtle.sign({ name: "Ed25519" }, pair.privateKey, bytes);
  return `${kid}.${b64url(bytes)}.${b64url(new Uint8Array(signature))}`;
}
// The orders service's payload (orders.domain.signed_keys), in its key order.
const PAYLOAD = { v: 1, ticketId: "tk1", orderId: "o1", eventId: "e1", listingId: null,
  ticketTypeId: "ga", seatId: null, endsAt: "2031-05-01T23:00:00Z" };
const strip = (r) => ({ verdict: r.verdict, reason: r.reason, ticketId: r.ticketId });
"""


def run_node(body: str) -> Any:
    node = shutil.which("node")
    assert node is not None, "node is needed to run the page script"
    script = (
        SETUP
        + f"(async () => {{ {body} }})().catch((e) => {{ console.error(e); process.exit(1); }});"
    )
    done = subprocess.run(
        [node, "-e", script, "--", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ed25519_keys_verify_locally_for_their_own_event_only() -> None:
    result = run_node(
        """
        const door = await keypair();
        const other = await keypair();
        const keys = checkin.readKeys({ keys: [
          { kid: "k1", alg: "Ed25519", publicKey: door.publicKey },
          { kid: "h1", alg: "HS256", publicKey: "x" },
        ] });
        const key = await sign(door.pair, "k1", PAYLOAD);
        const [kid, payload, signature] = key.split(".");
        const changed = b64url(Buffer.from(JSON.stringify({ ...PAYLOAD, ticketId: "tk2" })));
        const altered = `${kid}.${changed}.${signature}`;
        const forged = await sign(other.pair, "k1", PAYLOAD);
        const otherKid = await sign(door.pair, "k9", PAYLOAD);
        const resale = await sign(door.pair, "k1", { ...PAYLOAD, eventId: null, listingId: "l1" });
        const afterEnd = Date.parse("2031-05-01T23:00:01Z");
        const verify = async (k, e = "e1", s = subtle) =>
          strip(await checkin.verifyLocally(checkin.parseKey(k), keys, e, s));
        console.log(JSON.stringify({
          keys: keys.map((k) => k.kid),
          valid: await verify(key),
          scannerNewline: await verify(` ${key}\\n`),
          otherEvent: await verify(key, "e2"),
          altered: await verify(altered),
          forged: await verify(forged),
          unknownKid: await verify(otherKid),
          noCrypto: await verify(key, "e1", null),
          resale: await verify(resale),
          ended: strip(
            await checkin.verifyLocally(checkin.parseKey(key), keys, "e1", subtle, afterEnd)),
          legacyHere: await verify("tk1.e1.abcd.sig"),
          legacyElsewhere: await verify("tk1.e2.abcd.sig"),
          garbage: await verify("hello world"),
          empty: await verify("   "),
        }));
        """
    )
    assert result["keys"] == ["k1"]
    assert result["valid"] == {"verdict": "valid", "ticketId": "tk1"}
    assert result["scannerNewline"]["verdict"] == "valid"
    assert result["otherEvent"] == {
        "verdict": "invalid",
        "reason": "This ticket is for another event",
    }
    assert result["altered"] == {"verdict": "invalid", "reason": "Forged or altered key"}
    assert result["forged"]["verdict"] == "invalid"
    assert result["unknownKid"]["verdict"] == "unknown"
    assert result["resale"]["reason"] == "This ticket is for another event"
    assert result["ended"] == {"verdict": "invalid", "reason": "This ticket's event has ended"}
    assert result["noCrypto"]["verdict"] == "unknown"
    assert result["legacyHere"]["verdict"] == "unknown"
    assert result["legacyElsewhere"]["verdict"] == "invalid"
    assert result["garbage"] == {"verdict": "invalid", "reason": "Not a ticket key"}
    assert result["empty"]["verdict"] == "invalid"


def test_parse_key_reads_the_payload_and_refuses_malformed_keys() -> None:
    result = run_node(
        """
        const json = b64url(Buffer.from('{"tid":"tk7","eid":"e3"}'));
        const parsed = checkin.parseKey(`k1.${json}.${b64url(Buffer.from("sig"))}`);
        console.log(JSON.stringify({
          parsed: { format: parsed.format, kid: parsed.kid,
            ticketId: parsed.ticketId, eventId: parsed.eventId },
          badBase64: checkin.parseKey(`k1.${json}.no+pe`),
          notJson: checkin.parseKey(`k1.${b64url(Buffer.from("nope"))}.c2ln`),
          notObject: checkin.parseKey(`k1.${b64url(Buffer.from("[1]"))}.c2ln`),
          emptyPart: checkin.parseKey(`k1..c2ln`),
          legacy: checkin.parseKey("tk1.e1.n.s"),
        }));
        """
    )
    assert result["parsed"] == {
        "format": "ed25519",
        "kid": "k1",
        "ticketId": "tk7",
        "eventId": "e3",
    }
    assert result["badBase64"] is None
    assert result["notJson"] is None
    assert result["notObject"] is None
    assert result["emptyPart"] is None
    assert result["legacy"] == {
        "format": "legacy",
        "key": "tk1.e1.n.s",
        "ticketId": "tk1",
        "eventId": "e1",
    }


@pytest.mark.parametrize(
    ("status", "body", "verdict"),
    [
        (200, {"result": "valid"}, "valid"),
        (200, {"result": "already_used", "usedAt": "2031-05-01T19:00:00Z"}, "used"),
        (200, {"result": "invalid"}, "invalid"),
        (409, {"errors": [{"message": "Already checked in"}]}, "used"),
        (403, {"errors": [{"message": "Not your event"}]}, "invalid"),
        (400, {"errors": [{"message": "Key must not be empty"}]}, "invalid"),
        (401, {"errors": [{"message": "Not authorized"}]}, "offline"),
        (503, None, "offline"),
        (0, None, "offline"),
    ],
)
def test_server_answers_become_verdicts(status: int, body: Any, verdict: str) -> None:
    result = run_node(
        f"console.log(JSON.stringify(checkin.serverVerdict({status}, {json.dumps(body)})));"
    )
    assert result["verdict"] == verdict


def test_the_door_sees_one_clear_outcome() -> None:
    result = run_node(
        """
        const o = checkin.outcome;
        const valid = { verdict: "valid" }, unknown = { verdict: "unknown" };
        const offline = { verdict: "offline" };
        console.log(JSON.stringify({
          invalidLocally: o({ verdict: "invalid", reason: "Forged or altered key" }, {}),
          valid: o(valid, { verdict: "valid" }),
          used: o(valid, { verdict: "used", at: "2031-05-01T19:00:00Z" }),
          usedNoTime: o(unknown, { verdict: "used" }),
          refused: o(unknown, { verdict: "invalid", reason: "Not a valid ticket" }),
          offlineValid: o(valid, offline),
          offlineUnknown: o(unknown, offline),
          offlineSeen: o(valid, offline, "2031-05-01T19:00:00Z"),
        }));
        """
    )
    states = {name: (r["state"], r["title"]) for name, r in result.items()}
    assert states == {
        "invalidLocally": ("invalid", "INVALID"),
        "valid": ("valid", "VALID"),
        "used": ("used", "ALREADY CHECKED IN"),
        "usedNoTime": ("used", "ALREADY CHECKED IN"),
        "refused": ("invalid", "INVALID"),
        "offlineValid": ("pending", "VALID — will sync"),
        "offlineUnknown": ("pending", "QUEUED"),
        "offlineSeen": ("used", "ALREADY CHECKED IN"),
    }
    assert result["used"]["detail"].startswith("Checked in at ")
    assert result["usedNoTime"]["detail"] == "Checked in earlier"
    assert result["invalidLocally"]["detail"] == "Forged or altered key"


def test_the_queue_keeps_one_entry_per_key_and_sends_until_offline() -> None:
    result = run_node(
        """
        let queue = [];
        queue = checkin.enqueue(queue, { key: "a", at: "1" });
        queue = checkin.enqueue(queue, { key: "b", at: "2" });
        queue = checkin.enqueue(queue, { key: "a", at: "3" });
        const answers = {
          a: { verdict: "valid" }, b: { verdict: "used" }, c: { verdict: "offline" },
        };
        const sent = [];
        const send = async (key) => { sent.push(key); return answers[key]; };
        const partial = await checkin.syncQueue([...queue, { key: "c" }, { key: "d" }], send);
        const all = await checkin.syncQueue(queue, send);
        const store = new Map();
        const storage = {
          getItem: (k) => (store.has(k) ? store.get(k) : null),
          setItem: (k, v) => store.set(k, v),
        };
        checkin.save(storage, "q", queue);
        store.set("broken", "{not json");
        const full = {
          getItem: () => null,
          setItem: () => { throw new Error("QuotaExceededError"); },
        };
        checkin.save(full, "q", queue);
        console.log(JSON.stringify({
          queue, sent,
          partial: {
            remaining: partial.remaining.map((e) => e.key),
            answered: partial.results.map((r) => [r.entry.key, r.answer.verdict]),
          },
          all: { remaining: all.remaining, answered: all.results.length },
          loaded: checkin.load(storage, "q", []),
          broken: checkin.load(storage, "broken", []),
          missing: checkin.load(storage, "none", { x: 1 }),
        }));
        """
    )
    assert result["queue"] == [{"key": "b", "at": "2"}, {"key": "a", "at": "3"}]
    assert result["partial"] == {
        "remaining": ["c", "d"],
        "answered": [["b", "used"], ["a", "valid"]],
    }
    assert result["sent"] == ["b", "a", "c", "b", "a"]  # "d" waits behind "c"
    assert result["all"] == {"remaining": [], "answered": 2}
    assert result["loaded"] == result["queue"]
    assert result["broken"] == []
    assert result["missing"] == {"x": 1}
