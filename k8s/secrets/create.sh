#!/usr/bin/env bash
# Creates the secrets pando-datastore-keys and pando-admin in a role's namespace with fresh
# random values (k8s/README.md, "Secrets"). It never replaces one that exists: a datastore key
# that is lost makes every stored secret unreadable (rotation: aggregator/README.md).
#   k8s/secrets/create.sh pando-leader
#   k8s/secrets/create.sh pando-helper
set -euo pipefail
ns="${1:-}"
if [[ -z "$ns" || $# -ne 1 ]]; then
  echo "usage: k8s/secrets/create.sh NAMESPACE   (pando-leader or pando-helper)" >&2
  exit 2
fi
random() { head -c32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='; }
for name in pando-datastore-keys pando-admin; do
  if kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then
    echo "secret $ns/$name exists; left as it is" >&2
    continue
  fi
  case "$name" in
    pando-datastore-keys) kubectl -n "$ns" create secret generic "$name" --from-literal=keys="$(random)" ;;
    pando-admin) kubectl -n "$ns" create secret generic "$name" --from-literal=token="$(random)" ;;
  esac
done
echo "admin token: kubectl -n $ns get secret pando-admin -o jsonpath='{.data.token}' | base64 -d" >&2
