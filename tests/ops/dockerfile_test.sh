#!/usr/bin/env bash
# deploy/Dockerfile without Docker: deploy/runtime-packages resolves the built services' shared libraries to
# Debian packages (what the runtime stage installs), and the Dockerfile keeps its promises (Debian 12 stages,
# tools/build, all five binaries (the four services and the portal), a non-root user, a context without builds or secrets).
#   tests/ops/dockerfile_test.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?build dir}
fail() { echo "FAIL: $*" >&2; exit 1; }

bins=()
for s in document news scoring notification portal; do
  b=$build/services/$s/$s-service
  if [[ -x "$b" ]]; then bins+=("$b"); else echo "SKIP $s-service: not built (yet: its branch is not merged)"; fi
done
((${#bins[@]})) || fail "no service binary built"
packages=$("$root/deploy/runtime-packages" "${bins[@]}")
for p in libgrpc++1.51 libprotobuf32 librdkafka1 libpqxx-6.4 libpq5 libicu72 libssl3 libstdc++6 \
  libprometheus-cpp-core1.0 libprometheus-cpp-pull1.0 libcivetweb1 libcpp-httplib0.11; do
  grep -qx "$p" <<<"$packages" || fail "runtime-packages does not list $p:"$'\n'"$packages"
done
! grep -q -- '-dev$' <<<"$packages" || fail "runtime-packages lists a -dev package"
echo "runtime packages ($(wc -l <<<"$packages")): $(tr '\n' ' ' <<<"$packages")"

df=$root/deploy/Dockerfile
grep -q '^ARG DEBIAN=debian:12$' "$df" || fail "base is not debian:12"
[[ $(grep -c '^FROM ${DEBIAN} AS ' "$df") == 2 ]] || fail "not two stages on the Debian 12 base"
grep -q 'tools/build' "$df" || fail "does not build with tools/build"
grep -q 'ARG SERVICES="document news scoring notification portal"' "$df" ||
  fail "does not build the four services and the portal"
[[ $(grep '^USER ' "$df" | tail -1) == "USER 10001:10001" ]] || fail "the image does not run as uid 10001"
for x in 'build*/' '.cchc/' 'deploy/.env' 'deploy/secrets/' '.git'; do
  grep -qxF "$x" "$root/.dockerignore" || fail ".dockerignore does not exclude $x"
done
echo "deploy/Dockerfile: ok"
