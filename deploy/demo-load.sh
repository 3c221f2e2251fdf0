#!/bin/sh
# The demo node's application in docker-compose.yml: writes /var/lib/fathom-db/demo.db with the sqlite3 CLI.
#   demo-load.sh init   create the database in WAL mode with its table (idempotent), then exit 0
#   demo-load.sh run    insert a row every 200 ms; every 150th round also rewrite 50 old rows
# Each sqlite3 call is one short connection and one transaction, like an application's writes. The WAL is not lost
# when it closes: the agent keeps its own connection open, so SQLite does not checkpoint and delete the WAL.
set -eu
DB=/var/lib/fathom-db/demo.db

case "${1:-}" in
  init)
    sqlite3 "$DB" "PRAGMA journal_mode=WAL;" \
      "CREATE TABLE IF NOT EXISTS readings (id INTEGER PRIMARY KEY, sensor TEXT NOT NULL, value REAL NOT NULL,
         at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')));"
    echo "demo-load: $DB ready ($(sqlite3 "$DB" 'SELECT count(*) FROM readings;') rows)"
    ;;
  run)
    round=0
    while true; do
      round=$((round + 1))
      sqlite3 -cmd ".timeout 5000" "$DB" \
        "INSERT INTO readings (sensor, value) VALUES ('sensor-' || abs(random() % 8), abs(random() % 10000) / 100.0);"
      if [ $((round % 150)) -eq 0 ]; then
        sqlite3 -cmd ".timeout 5000" "$DB" \
          "UPDATE readings SET value = value + 1 WHERE id IN (SELECT id FROM readings ORDER BY random() LIMIT 50);"
        echo "demo-load: round $round, $(sqlite3 "$DB" 'SELECT count(*) FROM readings;') rows"
      fi
      sleep 0.2
    done
    ;;
  *)
    echo "usage: demo-load.sh init|run" >&2
    exit 2
    ;;
esac
