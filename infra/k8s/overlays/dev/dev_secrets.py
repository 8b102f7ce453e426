"""Creates the dev cluster's namespace and Secrets, with random values, where missing.

Run by `skaffold dev` (the dev profile's before-deploy hook in skaffold.yaml), or by
hand before `kubectl apply -k infra/k8s/overlays/dev`:

    python3 infra/k8s/overlays/dev/dev_secrets.py

Secrets that exist are kept, so a restart keeps sessions and the database users
working; delete one to have it made anew. For development clusters only: production
Secrets are made by their operator (infra/README.md), and the prod profile never runs
this. Uses kubectl from PATH, in skaffold's context (SKAFFOLD_KUBE_CONTEXT) if given.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

NAMESPACE = "ticketing"
NAMESPACE_FILE = Path(__file__).resolve().parents[2] / "namespace.yaml"
NATS_NODES = 3
# The test key of the Stripe fake; payments refuses nothing with it (localstripe).
STRIPE_TEST_KEY = "sk_test_local"


def dev_secrets() -> dict[str, dict[str, str]]:
    """Every Secret the dev overlay reads, by name, with fresh random values."""
    mongo_password, nats_password = secrets.token_hex(24), secrets.token_hex(24)
    nats_urls = ",".join(
        f"nats://ticketing:{nats_password}@nats-{n}.nats:4222" for n in range(NATS_NODES)
    )
    return {
        "ticketing-secrets": {
            "jwt-key": secrets.token_urlsafe(48),
            "ticket-key-secret": secrets.token_urlsafe(48),
            # An Ed25519 seed (base64 of 32 bytes), its key id, no retired keys yet.
            "ticket-signing-key": base64.b64encode(secrets.token_bytes(32)).decode(),
            "ticket-signing-key-id": "dev-1",
            "ticket-retired-public-keys": "{}",
            "stripe-secret-key": STRIPE_TEST_KEY,
            "stripe-webhook-secret": f"whsec_{secrets.token_hex(24)}",
        },
        "ticketing-mongo": {
            "root-username": "root",
            "root-password": secrets.token_hex(24),
            "app-username": "ticketing",
            "app-password": mongo_password,
            # 756 random bytes in base64 (1008 characters, under mongod's 1024).
            "keyfile": base64.b64encode(secrets.token_bytes(756)).decode(),
            "uri": f"mongodb://ticketing:{mongo_password}@mongo-0.mongo:27017/"
            "?replicaSet=rs0&authSource=admin",
        },
        "ticketing-nats": {"password": nats_password, "url": nats_urls},
    }


def kubectl(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    context = os.environ.get("SKAFFOLD_KUBE_CONTEXT")
    command = ["kubectl", *(["--context", context] if context else []), *args]
    return subprocess.run(  # noqa: S603 - fixed arguments, no shell
        command, input=stdin, capture_output=True, text=True, check=False
    )


def secret_manifest(name: str, data: dict[str, str]) -> str:
    """The Secret as JSON for `kubectl create -f -`: values never on a command line."""
    manifest = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": name,
            "namespace": NAMESPACE,
            "labels": {"app.kubernetes.io/part-of": "ticketing"},
        },
        "type": "Opaque",
        "stringData": data,
    }
    return json.dumps(manifest)


def main() -> int:
    applied = kubectl("apply", "-f", str(NAMESPACE_FILE))
    if applied.returncode != 0:
        print(applied.stderr, file=sys.stderr)
        return 1
    for name, data in dev_secrets().items():
        if kubectl("-n", NAMESPACE, "get", "secret", name).returncode == 0:
            print(f"secret {name}: kept")
            continue
        created = kubectl("create", "-f", "-", stdin=secret_manifest(name, data))
        if created.returncode != 0:
            print(created.stderr, file=sys.stderr)
            return 1
        print(f"secret {name}: created with random values")
    return 0


if __name__ == "__main__":
    sys.exit(main())
