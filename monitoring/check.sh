#!/usr/bin/env bash
# Check the Prometheus side: the alert rules, their unit tests, and prometheus.yml itself.
#
# Debian's promtool (package `prometheus`) is built without Kubernetes service discovery
# and refuses `kubernetes_sd_configs`. So the config is checked as a copy in which each
# such block, and only that, is swapped for a static target; everything else (relabelling,
# rule_files, alerting, the other jobs) is checked as written. Run from anywhere.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v promtool >/dev/null 2>&1; then
    echo "promtool not found: apt-get update -qq && apt-get install -y -qq prometheus" >&2
    exit 1
fi

promtool check rules "$here"/alerts/*.rules.yml
promtool test rules "$here"/tests/*.test.yml

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/alerts" "$work/alerts"
# A `kubernetes_sd_configs:` key and the lines indented below it become one static_configs
# line at the same indentation.
awk '
    skipping && (match($0, /^ */) && RLENGTH <= indent) && $0 !~ /^ *$/ { skipping = 0 }
    skipping { next }
    /^ *kubernetes_sd_configs:/ {
        match($0, /^ */); indent = RLENGTH; skipping = 1; swapped++
        printf "%*sstatic_configs: [{targets: [\"kubernetes-sd.invalid:9100\"]}]\n", indent, ""
        next
    }
    { print }
    END { print "swapped " swapped " kubernetes_sd_configs block(s) for the check" > "/dev/stderr" }
' "$here/prometheus.yml" > "$work/prometheus.yml"
promtool check config "$work/prometheus.yml"
