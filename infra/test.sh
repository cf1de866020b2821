#!/bin/sh
# Unit tests of the Pulumi program against Pulumi's mocks: no cloud account, no Pulumi CLI
# and no provider plugins are needed. `make deploy-check` runs this (deploy/check.sh).
#
#   sh infra/test.sh [pytest arguments]
set -eu

here=$(cd "$(dirname "$0")" && pwd)
venv=$(sh "$here/venv.sh")
cd "$here"
exec "$venv/bin/python" -m pytest -q "$@"
