#!/bin/sh
# Registers the platform's namespace and the custom search attributes of
# libs/temporal/src/contract.ts (SEARCH_ATTRIBUTE_REGISTRY) on a Temporal cluster, with the
# `temporal` CLI. One script for the compose stack's `temporal-setup` service and the local
# cluster (scripts/temporal-cluster.sh). Safe to repeat: an existing namespace is kept, and
# creating an attribute that exists with the same type changes nothing.
#
#   TEMPORAL_ADDRESS (127.0.0.1:7233)     the frontend
#   TEMPORAL_NAMESPACE (default)          the namespace the API and the worker use (libs/config)
#   TEMPORAL_NAMESPACE_RETENTION (72h)    how long closed workflows stay listed (new namespace only)
#   SEARCH_ATTRIBUTES                     NAME=Type ..., space separated (the contract's list)
#   TEMPORAL_CLI (temporal)               the CLI binary
set -eu

cli="${TEMPORAL_CLI:-temporal}"
address="${TEMPORAL_ADDRESS:-127.0.0.1:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
[ -n "${SEARCH_ATTRIBUTES:-}" ] || { echo "[temporal-setup] SEARCH_ATTRIBUTES is empty" >&2; exit 1; }

tries=0
until "${cli}" operator cluster health --address "${address}" >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ "${tries}" -lt 90 ] || { echo "[temporal-setup] no healthy frontend at ${address}" >&2; exit 1; }
  sleep 2
done

if ! "${cli}" operator namespace describe --address "${address}" --namespace "${namespace}" >/dev/null 2>&1; then
  "${cli}" operator namespace create --address "${address}" --namespace "${namespace}" \
    --retention "${TEMPORAL_NAMESPACE_RETENTION:-72h}"
fi
# A namespace just created reaches the frontends' namespace caches within ~10 s: until then the
# attribute calls answer "not found", so each is tried again for a minute.
for attribute in ${SEARCH_ATTRIBUTES}; do
  tries=0
  until "${cli}" operator search-attribute create --address "${address}" --namespace "${namespace}" \
    --name "${attribute%%=*}" --type "${attribute#*=}" 2>/dev/null; do
    tries=$((tries + 1))
    [ "${tries}" -lt 60 ] || { echo "[temporal-setup] could not create ${attribute}" >&2; exit 1; }
    sleep 1
  done
done
"${cli}" operator search-attribute list --address "${address}" --namespace "${namespace}"
