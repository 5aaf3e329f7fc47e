#!/usr/bin/env bash
# Mints a token that dev mode, the tests and the compose stack accept (RS256, signed with the
# published dev key in deploy/dev-keys/, issuer "likes-dev", audience "likes", valid one hour):
#
#   deploy/dev-token.sh user-7                          # acts as user-7
#   deploy/dev-token.sh my-backend likes:act-for-users   # a trusted backend: acts for any user
#   deploy/dev-token.sh alice likes:admin                # an operator: drift repair
#
# Production never trusts this key. Needs only bash and openssl.
set -euo pipefail
sub=${1:?usage: $0 SUBJECT [GROUP...]}
shift
[[ $sub =~ ^[A-Za-z0-9._~:-]{1,64}$ ]] || { echo "$0: the subject must be a user id (A-Z a-z 0-9 . _ ~ : -)" >&2; exit 2; }
key=$(dirname "$0")/dev-keys/private.pem

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
groups=""
for group in "$@"; do groups="$groups${groups:+,}\"$group\""; done
now=$(date +%s)
header='{"alg":"RS256","typ":"JWT"}'
claims=$(printf '{"iss":"likes-dev","aud":"likes","sub":"%s","iat":%d,"exp":%d,"groups":[%s]}' \
  "$sub" "$now" $(( now + 3600 )) "$groups")
unsigned="$(printf '%s' "$header" | b64url).$(printf '%s' "$claims" | b64url)"
signature=$(printf '%s' "$unsigned" | openssl dgst -sha256 -sign "$key" -binary | b64url)
echo "$unsigned.$signature"
