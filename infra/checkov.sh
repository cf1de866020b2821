#!/bin/sh
# checkov over the Pulumi program: the program runs against Pulumi's mocks, what it declares
# is written as Terraform plans (tests/tfplan.py explains why that is faithful), and checkov
# checks them with every GCP policy it has, less the decisions in infra/checkov.yml.
# Needs `checkov` on PATH (deploy/check.sh puts its tools there).
#
#   sh infra/checkov.sh      (plans: staging, production, production with every option on)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
command -v checkov >/dev/null || { echo "infra/checkov.sh: checkov is not on PATH" >&2; exit 1; }
venv=$(sh "$here/venv.sh")
plans=$root/build/infra-plan
rm -rf "$plans"
"$venv/bin/python" -W ignore::DeprecationWarning "$here/tests/tfplan.py" "$plans"
set --
for plan in "$plans"/*.json; do
    set -- "$@" -f "$plan"
done
checkov --config-file "$here/checkov.yml" --framework terraform_plan "$@"
