#!/bin/sh
# Prints the path of the infrastructure program's virtualenv, creating it first if needed.
# Its own (pulumi-gcp is large and the app never imports it), under build/, named after the
# lock's hash so that a changed lock gets a fresh one; older ones are removed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
lock=$here/requirements.lock
key=$(sha256sum "$lock" | cut -c1-16)
venvs=$root/build/infra-venv
venv=$venvs/$key

if [ ! -f "$venv/.installed" ]; then
    mkdir -p "$venvs"
    for old in "$venvs"/*; do
        [ "$old" = "$venv" ] || rm -rf "$old"
    done
    echo "infra: installing $lock into $venv" >&2
    sh "$root/backend/scripts/install-python-deps.sh" "$venv" "$lock" 2>&1 \
        | grep -v '^WARNING: Location' >&2 || true
    "$venv/bin/python" -c "import pulumi, pulumi_gcp, pulumi_kubernetes, pulumi_random" >&2
    touch "$venv/.installed"
fi
echo "$venv"
