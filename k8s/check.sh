#!/bin/sh
# Builds every overlay and validates it and every base file: kubernetes-validate --strict
# for built-in kinds, check-jsonschema with k8s/schemas/ for KEDA, external-secrets and
# cert-manager objects (k8s/tools/check_manifests.py). Installs its tools on first use.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$(sh "$here/tools/venv.sh")
exec "$bin/python" "$here/tools/check_manifests.py" "$bin"
