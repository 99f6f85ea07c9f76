#!/usr/bin/env bash
# One polling-robot cycle against the embedded default (docs/enhancements.md):
# request enhancements of six sample references, claim them as the sample robot, upload
# robot-result.jsonl (with a few bad lines) and hand in the result; then show the request.
# Needs curl, openssl and the admin password the application printed at start-up:
#   ADMIN_PASSWORD=... sample-data/enhancements/sample-robot.sh
set -euo pipefail
BASE=${BASE:-http://localhost:8080}
ROBOT=${ROBOT:-sample-robot}
SECRET=${ROBOT_SECRET:-sample-robot-secret-not-a-secret}   # the embedded default's sample robot only
HERE=$(cd "$(dirname "$0")" && pwd)

sign() { # method path?query body -> curl header arguments
	local ts nonce sig
	ts=$(date +%s)
	nonce=$(openssl rand -hex 16)   # new for every request: the server refuses a nonce it has seen
	sig=$(printf '%s %s\n%s:%s:%s:%s' "$1" "$2" "$3" "$ROBOT" "$ts" "$nonce" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.* //')
	printf -- '-H\nAuthorization: Signature %s\n-H\nX-Client-Id: %s\n-H\nX-Request-Timestamp: %s\n-H\nX-Request-Nonce: %s\n' "$sig" "$ROBOT" "$ts" "$nonce"
}
field() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

request=$(curl -sf -u "admin:${ADMIN_PASSWORD:?set ADMIN_PASSWORD}" -H 'Content-Type: application/json' \
	-d "{\"robot_id\":\"$ROBOT\",\"reference_ids\":$(cat "$HERE/request-reference-ids.json"),\"source\":\"sample\"}" \
	"$BASE/enhancement-requests/")
request_id=$(echo "$request" | field id)
echo "request $request_id: $request"

path="/robot-enhancement-batches/?robot_id=$ROBOT&limit=10"
mapfile -t headers < <(sign POST "$path" "")
batch=$(curl -sf -X POST "${headers[@]}" "$BASE$path")
batch_id=$(echo "$batch" | field id)
echo "claimed batch $batch_id"
curl -sf "$(echo "$batch" | field reference_storage_url)" | head -c 300; echo " ..."
curl -sf -X PUT -H "Content-Type: application/octet-stream" --data-binary @"$HERE/robot-result.jsonl" "$(echo "$batch" | field result_storage_url)"

path="/robot-enhancement-batches/$batch_id/results/"
body="{\"request_id\":\"$batch_id\"}"
mapfile -t headers < <(sign POST "$path" "$body")
curl -sf -X POST "${headers[@]}" -H 'Content-Type: application/json' -d "$body" "$BASE$path"; echo
sleep 3
curl -sf -u "admin:$ADMIN_PASSWORD" "$BASE/enhancement-requests/$request_id/"; echo
mapfile -t headers < <(sign GET "/robot-enhancement-batches/$batch_id/" "")
report=$(curl -sf "${headers[@]}" "$BASE/robot-enhancement-batches/$batch_id/" | field validation_result_url)
echo "validation report:"; curl -sf "$report"
