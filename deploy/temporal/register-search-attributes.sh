#!/bin/sh
# One-shot: registers the custom search attributes the workflows upsert. A
# workflow that sets an unregistered attribute fails its task, so the worker and
# API start only after this has completed. The server skips attributes that
# already exist, so this is safe to repeat.
set -eu

: "${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
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

create_search_attributes() {
  temporal operator search-attribute create --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" \
    --name TreatmentStatus --type Keyword \
    --name CareUnit --type Keyword \
    --name CurrentModule --type Keyword \
    --name ProgramId --type Keyword
}

# On SQL visibility the attributes are namespace aliases that reach the query
# layer through the namespace cache; a query naming all four succeeds only once
# workflows can really use them.
search_attributes_queryable() {
  temporal workflow list --namespace "$NAMESPACE" --address "$TEMPORAL_ADDRESS" --limit 1 \
    --query "TreatmentStatus = 'probe' AND CareUnit = 'probe' AND CurrentModule = 'probe' AND ProgramId = 'probe'" \
    >/dev/null
}

retry temporal operator cluster health --address "$TEMPORAL_ADDRESS"
retry create_search_attributes
retry search_attributes_queryable
echo "search attributes TreatmentStatus, CareUnit, CurrentModule, ProgramId are registered on '$NAMESPACE'"
