#!/bin/sh
# One-shot: the temporalio/server image (unlike auto-setup) creates no namespace,
# so the application's namespace is registered here. Safe to repeat.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
# How long closed workflow histories (patient payloads, codec-encrypted) are kept.
RETENTION="${TEMPORAL_NAMESPACE_RETENTION:-720h}"
MAX_ATTEMPTS="${SETUP_MAX_ATTEMPTS:-60}"
RETRY_SECONDS="${SETUP_RETRY_SECONDS:-5}"

retry() {
  attempt=1
  until "$@"; do
    if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
      echo "giving up after $MAX_ATTEMPTS attempts: $*" >&2
      return 1
    fi
    echo "not ready yet (attempt $attempt/$MAX_ATTEMPTS): $*"
    attempt=$((attempt + 1))
    sleep "$RETRY_SECONDS"
  done
}

ensure_namespace() {
  if temporal operator namespace describe --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
    echo "namespace '$NAMESPACE' already exists"
    return 0
  fi
  temporal operator namespace create --namespace "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
}

retry temporal operator cluster health --address "$TEMPORAL_ADDRESS"
retry ensure_namespace
echo "namespace '$NAMESPACE' is ready"
