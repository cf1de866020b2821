#!/bin/sh
# Prints the path of the infrastructure program's virtualenv, creating it first if needed.
# Its own (pulumi-gcp is large and the app never imports it), cached by the project's
# locked-venv.sh under build/infra-venv.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
venv=$(sh "$root/backend/scripts/locked-venv.sh" "$here/requirements.lock" infra-venv)
"$venv/bin/python" -c "import pulumi, pulumi_gcp, pulumi_kubernetes, pulumi_random" >&2
echo "$venv"
