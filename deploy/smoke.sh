#!/usr/bin/env bash
# Builds the container image with podman and smoke-tests it against a real PostgreSQL:
# health, a like, a count. For a machine without a container registry it first builds a local
# JRE 17 base image from Debian packages (once; reused afterwards). Needs root, apt and
# Debian's PostgreSQL; installs podman, buildah and debootstrap when missing.
#   deploy/smoke.sh            uses target/quarkus-app (builds it when missing)
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=localhost/debian-jre17:bookworm
IMAGE=localhost/likes-service:smoke
HTTP_PORT=18080
DB_PORT=15432
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d)
container=""

cleanup() {
  [ -n "$container" ] && podman rm -f "$container" >/dev/null 2>&1 || true
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null || ! command -v runc >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah debootstrap runc >/dev/null
fi

if ! podman image exists "$BASE"; then
  echo "== building the base image $BASE from Debian packages"
  mirror=$(grep -h -m1 -E '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}')
  root="$work/rootfs"
  debootstrap --variant=minbase bookworm "$root" "${mirror:-http://deb.debian.org/debian}" >/dev/null
  mount -t proc proc "$root/proc"   # the JRE's post-install runs java, which needs /proc
  chroot "$root" sh -c 'apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates >/dev/null && apt-get clean' \
    || { umount "$root/proc"; exit 1; }
  umount "$root/proc"
  tar -C "$root" -c . | podman import - "$BASE" >/dev/null
fi

[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests

echo "== building $IMAGE"
podman build -q --isolation chroot --network host --build-arg BASE="$BASE" \
  -f deploy/Containerfile -t "$IMAGE" target/quarkus-app >/dev/null

echo "== starting PostgreSQL on port $DB_PORT"
mkdir -p "$work/pg" && chown postgres "$work" "$work/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$work/pg" -U likes --auth=trust >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $DB_PORT -k $work -c listen_addresses=127.0.0.1" start >/dev/null
runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$DB_PORT" -U likes likes

echo "== running the image"
# As in Kubernetes (deploy/kubernetes/base/deployment.yaml): read-only root, writable /tmp only.
container=$(podman run -d --runtime runc --network host --read-only --tmpfs /tmp \
  --ulimit nofile=20000:20000 --ulimit nproc=4096:4096 \
  -e LIKES_DB_HOST=127.0.0.1 -e LIKES_DB_PORT="$DB_PORT" -e LIKES_HTTP_PORT="$HTTP_PORT" "$IMAGE")
url="http://127.0.0.1:$HTTP_PORT"
for _ in $(seq 1 60); do
  curl -sf "$url/q/health/ready" >/dev/null && break
  sleep 0.5
done

fail() { echo "FAIL: $*"; podman logs "$container" | tail -30; exit 1; }
curl -sf "$url/q/health/started" | grep -q '"UP"' || fail "not started"
curl -sf "$url/q/health/ready" | grep -q '"UP"' || fail "not ready"
[ "$(podman exec "$container" id -u)" != 0 ] || fail "runs as root"
curl -sf -X PUT "$url/v1/items/smoke-item/likes/smoke-user" | grep -q '"likes":1' || fail "like"
curl -sf "$url/v1/items/smoke-item" | grep -q '"likes":1' || fail "count"
curl -sf "$url/q/metrics" | grep -q '^likes_applied_total{action="like"} 1.0' || fail "metrics"
podman logs "$container" 2>&1 | grep -q '"loggerName":"io.quarkus"' || fail "JSON logs"
echo "image $IMAGE: started, ready, non-root, read-only root, liked, counted, metrics, JSON logs"
echo "smoke: 1 passed, 0 failed"
