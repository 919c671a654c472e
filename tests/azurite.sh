# Sourced by the test and demo scripts: starts the pinned Azurite in memory, bound to 127.0.0.1, on free ports
# (or on the ports given in AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT), and stops it by its pid.

start_azurite() {
  local node_dir="$1"
  AZURITE_LOG="$(mktemp)"
  node "$node_dir/node_modules/azurite/dist/src/azurite.js" \
    --inMemoryPersistence --skipApiVersionCheck --disableTelemetry --loose \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "${AZURITE_BLOB_PORT:-0}" --queuePort "${AZURITE_QUEUE_PORT:-0}" --tablePort "${AZURITE_TABLE_PORT:-0}" \
    >"$AZURITE_LOG" 2>&1 &
  AZURITE_PID=$!

  local blob="" queue="" table=""
  for _ in $(seq 1 150); do
    blob="$(azurite_port Blob)"; queue="$(azurite_port Queue)"; table="$(azurite_port Table)"
    [ -n "$blob" ] && [ -n "$queue" ] && [ -n "$table" ] && break
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      echo "Azurite exited before it was ready:" >&2; cat "$AZURITE_LOG" >&2; return 1
    fi
    sleep 0.2
  done
  if [ -z "$table" ]; then
    echo "Azurite did not report its ports in time:" >&2; cat "$AZURITE_LOG" >&2; return 1
  fi

  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  AZURITE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;"
  AZURITE_CONNECTION_STRING+="BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;"
  AZURITE_CONNECTION_STRING+="QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;"
  AZURITE_CONNECTION_STRING+="TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  export AZURITE_CONNECTION_STRING
  echo "Azurite (pid $AZURITE_PID) listening: blob $blob, queue $queue, table $table"
}

azurite_port() {
  sed -n "s#^Azurite $1 service is successfully listening at http://127.0.0.1:\([0-9]*\).*#\1#p" "$AZURITE_LOG"
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ]; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
  rm -f "${AZURITE_LOG:-}"
}
