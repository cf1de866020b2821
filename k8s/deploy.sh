#!/usr/bin/env bash
# Deploy one release to one environment:
#
#   k8s/deploy.sh ENV IMAGE@sha256:DIGEST      (ENV: dev, staging or production)
#
# with KUBECONFIG (or the current context) pointing at that environment's cluster. In order:
#   1. render the overlay with the image by digest and the migrate Job named for this
#      release (a temporary copy of k8s/; the repository is not touched);
#   2. apply everything except the API and the workers (namespace, config, secrets,
#      network policies, ingress, backup CronJob, the release's migrate Job) and wait for
#      the Job: a failed or timed-out migration stops here, before any pod changes;
#   3. apply the whole overlay and wait for both rollouts (`kubectl rollout status`);
#   4. if either rollout fails, `kubectl rollout undo` both and exit non-zero.
# The schema stays migrated after an undo: migrations are backward compatible (add now,
# remove in a later release), and /ready only refuses a schema older than the code.
#
# DRY_RUN=1 prints the rendered manifests and the kubectl commands instead of running them.
# ROLLOUT_TIMEOUT (default 10m) bounds each rollout, MIGRATE_TIMEOUT_S (default 900) the Job.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
rollout_timeout=${ROLLOUT_TIMEOUT:-10m}
migrate_timeout_s=${MIGRATE_TIMEOUT_S:-900}
dry_run=${DRY_RUN:-0}
deployments=(ariaforge-backend ariaforge-worker)

die() { echo "deploy: $*" >&2; exit 1; }
say() { echo "deploy: $*" >&2; }

# Runs a kubectl command, or prints it under DRY_RUN=1.
kube() {
    if [[ $dry_run == 1 ]]; then
        printf '+ kubectl'; printf ' %q' "$@"; printf '\n'
    else
        kubectl "$@"
    fi
}

[[ $# -eq 2 ]] || die "usage: $0 dev|staging|production IMAGE@sha256:DIGEST"
env_name=$1
image=$2
[[ $env_name =~ ^(dev|staging|production)$ ]] || die "unknown environment '$env_name'"
# By digest only: a tag can be re-pushed, a digest is what staging tested.
[[ $image =~ ^([a-z0-9][a-z0-9._/:-]*)@sha256:([0-9a-f]{64})$ ]] \
    || die "IMAGE must be NAME@sha256:<64 hex digits>, not '$image'"
image_name=${BASH_REMATCH[1]}
digest=${BASH_REMATCH[2]}
release=${digest:0:12}
job=ariaforge-migrate-$release
overlay="$here/overlays/$env_name"
namespace=$(awk '$1 == "namespace:" { print $2; exit }' "$overlay/kustomization.yaml")
[[ -n $namespace ]] || die "$overlay/kustomization.yaml names no namespace"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$here" "$work/k8s"
for example in "$work/k8s/overlays/$env_name"/*.secret.env.example; do
    [[ -e $example ]] || continue
    [[ -e ${example%.example} ]] || die "missing ${example#"$work/"} without .example: copy and fill it in"
done

# This release: the image by digest, and a migrate Job of its own (a Job's template is
# immutable, so each release creates a new one; finished ones expire after a week).
cat > "$work/k8s/overlays/$env_name/release.yaml" <<YAML
apiVersion: builtin
kind: ImageTagTransformer
metadata:
  name: release-image
imageTag:
  name: ariaforge/backend
  newName: $image_name
  digest: sha256:$digest
---
apiVersion: builtin
kind: PatchTransformer
metadata:
  name: release-migrate-job
target:
  kind: Job
  name: ariaforge-migrate
patch: |-
  - op: replace
    path: /metadata/name
    value: $job
YAML
manifests="$work/manifests.yaml"
kubectl kustomize "$work/k8s/overlays/$env_name" > "$manifests"
if [[ $dry_run == 1 ]]; then
    echo "# rendered manifests ($env_name, $image)"
    cat "$manifests"
    echo "# kubectl commands"
fi

job_state() {
    kubectl -n "$namespace" get job "$job" --ignore-not-found \
        -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}'
}

# A Job of this same release that failed before (a retried deploy) is replaced.
if [[ $dry_run != 1 && $(job_state) == *Failed* ]]; then
    say "job/$job failed before: deleting it to run it again"
    kube -n "$namespace" delete job "$job" --wait=true
fi

say "applying all but the API and the workers (migrate Job $job)"
kube apply -f "$manifests" -l 'app.kubernetes.io/component notin (api,worker)'

say "waiting up to ${migrate_timeout_s}s for job/$job"
if [[ $dry_run == 1 ]]; then
    printf '+ wait for job/%s in %s: Complete (deploy stops on Failed)\n' "$job" "$namespace"
else
    deadline=$((SECONDS + migrate_timeout_s))
    while true; do
        # A failed look (an API server hiccup) is retried until the deadline.
        state=$(job_state || true)
        [[ $state == *Complete* ]] && break
        if [[ $state == *Failed* || $SECONDS -ge $deadline ]]; then
            kubectl -n "$namespace" logs "job/$job" --tail=100 >&2 || true
            die "migration job/$job ${state:-did not finish in ${migrate_timeout_s}s}: nothing rolled out"
        fi
        sleep 5
    done
fi

say "applying the overlay"
kube apply -f "$manifests"
for deployment in "${deployments[@]}"; do
    kube -n "$namespace" annotate --overwrite "deployment/$deployment" \
        "kubernetes.io/change-cause=deploy.sh $env_name $image"
done

failed=""
for deployment in "${deployments[@]}"; do
    if ! kube -n "$namespace" rollout status "deployment/$deployment" --timeout="$rollout_timeout"; then
        failed="$failed $deployment"
    fi
done
if [[ -n $failed ]]; then
    say "rollout failed:$failed; rolling back both"
    for deployment in "${deployments[@]}"; do
        kube -n "$namespace" rollout undo "deployment/$deployment" \
            || say "no earlier revision of $deployment to return to"
    done
    for deployment in "${deployments[@]}"; do
        kube -n "$namespace" rollout status "deployment/$deployment" --timeout="$rollout_timeout" || true
    done
    die "release $image rolled back in $env_name"
fi
say "released $image to $env_name"
