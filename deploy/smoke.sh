#!/usr/bin/env bash
# Builds the container image with podman and smoke-tests it against a real PostgreSQL, run the
# way Kubernetes runs it (read-only root, writable /tmp only). For a machine without a container
# registry it first builds a local JRE 17 base image from Debian packages (once; reused
# afterwards). Needs root and apt; installs podman, debootstrap and PostgreSQL when missing.
#   deploy/smoke.sh            uses target/quarkus-app (builds it when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=localhost/debian-jre17:bookworm
IMAGE=localhost/likes-service:smoke
HTTP_PORT=18080
MGMT_PORT=19080   # health and metrics: the management interface
DB_PORT=15432
work=$(mktemp -d)
container=""
# shellcheck source=deploy/private-postgres.sh
. deploy/private-postgres.sh

fail() {
  echo "FAIL: $*"
  [ -n "$container" ] && podman logs "$container" 2>&1 | tail -30
  [ -f "$work/pg.log" ] && tail -20 "$work/pg.log"
  exit 1
}

cleanup() {
  [ -n "$container" ] && podman rm -f "$container" >/dev/null 2>&1
  mountpoint -q "$work/rootfs/proc" 2>/dev/null && umount "$work/rootfs/proc"
  private_postgres_stop "$work"
  rm -rf "$work"
}
trap cleanup EXIT

missing=""
for tool in podman debootstrap runc; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
private_postgres_bin 2>/dev/null || missing="$missing postgresql-$PG_MAJOR"
if [ -n "$missing" ]; then
  echo "== installing$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing buildah >/dev/null \
    || fail "could not install$missing"
fi

if ! podman image exists "$BASE"; then
  echo "== building the base image $BASE from Debian packages"
  mirror=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true)
  root="$work/rootfs"
  debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >/dev/null \
    || fail "debootstrap"
  mount -t proc proc "$root/proc"   # the JRE's post-install runs java, which needs /proc
  chroot "$root" sh -c 'apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates >/dev/null && apt-get clean' \
    || fail "installing the JRE into the base image"
  umount "$root/proc"
  tar -C "$root" -c . | podman import - "$BASE" >/dev/null
fi

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests

echo "== building $IMAGE"
podman build -q --isolation chroot --network host --build-arg BASE="$BASE" \
  -f deploy/Containerfile -t "$IMAGE" target/quarkus-app >/dev/null || fail "podman build"

echo "== starting PostgreSQL on port $DB_PORT"
private_postgres_start "$work" "$DB_PORT" || fail "starting PostgreSQL"

echo "== running the image"
# As in Kubernetes (deploy/kubernetes/base/deployment.yaml): read-only root, writable /tmp only;
# on the host network, so it listens on loopback only.
container=$(podman run -d --runtime runc --network host --read-only --read-only-tmpfs=false --tmpfs /tmp \
  --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 \
  -v "$PWD/deploy/dev-keys/public.pem:/keys/public.pem:ro" \
  -e LIKES_JWT_PUBLIC_KEY_LOCATION=/keys/public.pem -e LIKES_JWT_ISSUER=likes-dev -e LIKES_AUTH_INSECURE_TRUST_PUBLISHED_DEV_KEY=true \
  -e LIKES_DB_HOST=127.0.0.1 -e LIKES_DB_PORT="$DB_PORT" -e LIKES_HTTP_PORT="$HTTP_PORT" -e QUARKUS_HTTP_HOST=127.0.0.1 \
  -e QUARKUS_MANAGEMENT_PORT="$MGMT_PORT" -e QUARKUS_MANAGEMENT_HOST=127.0.0.1 "$IMAGE") \
  || fail "podman run"
url="http://127.0.0.1:$HTTP_PORT"
mgmt="http://127.0.0.1:$MGMT_PORT"
for _ in $(seq 1 60); do
  curl -sf "$mgmt/q/health/ready" >/dev/null && break
  sleep 0.5
done

# Each answer is read whole before it is checked (grep -q on a pipe can cut curl short).
expect() { # what, text, pattern
  grep -q -- "$3" <<<"$2" || fail "$1: expected $3 in: $(head -c 300 <<<"$2")"
}
expect started "$(curl -s "$mgmt/q/health/started")" '"UP"'
expect ready "$(curl -s "$mgmt/q/health/ready")" '"UP"'
expect "no metrics on the public port" "$(curl -s -o /dev/null -w '%{http_code}' "$url/q/metrics")" '^404$'
[ "$(podman exec "$container" id -u)" != 0 ] || fail "runs as root"
expect "no token" "$(curl -s -i -X PUT "$url/v1/items/smoke-item/likes/smoke-user")" '^HTTP/1.1 401'
token=$(deploy/dev-token.sh smoke-user)
expect like "$(curl -s -X PUT -H "Authorization: Bearer $token" "$url/v1/items/smoke-item/likes/smoke-user")" '"likes":1'
expect count "$(curl -s "$url/v1/items/smoke-item")" '"likes":1'
expect "no demo in production" "$(curl -s -o /dev/null -w '%{http_code}' "$url/demo/token?user=x")" '^404$'
expect "live counts" "$(curl -s --max-time 2 "$url/v1/live/counts?ids=smoke-item")" '"likes":1'
expect metrics "$(curl -s "$mgmt/q/metrics")" '^likes_applied_total{action="like"} 1.0'
expect "JSON logs" "$(podman logs "$container" 2>&1)" '"loggerName":"io.quarkus"'
expect "OCI labels" "$(podman image inspect --format '{{index .Labels "org.opencontainers.image.title"}} {{index .Labels "org.opencontainers.image.version"}}' "$IMAGE")" '^likes-service [0-9]'
expect SBOM "$(podman exec "$container" head -c 400 /app/bom.json)" '"bomFormat" *: *"CycloneDX"'
echo "image $IMAGE: started, ready, non-root, read-only root, refused without a token, liked with one, counted, live count, no demo, metrics, JSON logs, OCI labels, SBOM; health and metrics on the management port only"
echo "smoke: 1 passed, 0 failed"
