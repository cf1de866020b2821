#!/bin/sh
# Prints the bin folder of the manifest tools' virtualenv (kubectl, kubernetes-validate,
# check-jsonschema), made from k8s/tools/requirements.lock by the project's locked-venv.sh
# (cached under build/k8s-tools, rebuilt when the lock changes). K8S_TOOLS_VENV names an
# existing venv to use instead.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${K8S_TOOLS_VENV:-}" ]; then
    echo "$K8S_TOOLS_VENV/bin"
    exit 0
fi
venv=$(sh "$root/backend/scripts/locked-venv.sh" "$root/k8s/tools/requirements.lock" k8s-tools)
echo "$venv/bin"
