#!/bin/bash
# postStart of every member; only mongo-0 acts. Retries replica-set.js until it succeeds
# (the members start together, each needs a moment), for up to ~10 minutes; a failure
# restarts the container, which tries again. Safe to run by hand:
#   kubectl -n ticketing exec mongo-0 -- bash /scripts/replica-set.sh
set -u
[ "${HOSTNAME%%.*}" = mongo-0 ] || exit 0
for _ in $(seq 150); do
    if mongosh --quiet --host 127.0.0.1 --file /scripts/replica-set.js; then
        exit 0
    fi
    sleep 4
done
echo "replica set rs0 not ready after 10 minutes" >&2
exit 1
