#!/bin/sh
# Starts the service this image was built for ($SERVICE) under uvicorn, as PID 1 so it
# receives SIGTERM itself. Open connections get at most 5 s once it stops (an open
# availability stream ends at once with a retry hint); normal shutdown takes ~0.2 s.
#
# A secret may also come from a file: with FOO unset or empty and FOO_FILE set, FOO is
# read from that file (docker compose hands over its generated development keys so).
# uvicorn believes X-Forwarded-* only from FORWARDED_ALLOW_IPS (default: loopback).
# Idle keep-alive connections outlive the gateway's and the ingress's idle pools (2 min
# at most), so a proxy never sends a request on a connection the service is closing.
# Each response goes out in one write to the socket (ticketing_common/http_protocol.py).
set -eu

for name in $(env | sed -n 's/^\([A-Z][A-Z0-9_]*\)_FILE=.*/\1/p'); do
    eval "value=\${$name:-}"
    eval "file=\${${name}_FILE}"
    if [ -z "$value" ]; then
        value=$(cat "$file")
        export "$name=$value"
    fi
    unset "${name}_FILE"
done

exec uvicorn "${SERVICE}.main:create_app" --factory \
    --http ticketing_common.http_protocol:OneWriteHttpProtocol \
    --host 0.0.0.0 --port 3000 --no-access-log \
    --timeout-graceful-shutdown 5 --timeout-keep-alive 130 "$@"
