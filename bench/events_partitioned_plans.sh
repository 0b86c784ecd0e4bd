#!/usr/bin/env bash
# The plans and server-side execution times of the event queries that partitioning by year
# changes, on an unpartitioned and a partitioned copy (docs/scaling.md), alternating A/B.
#   bench/events_partitioned_plans.sh perf_flat perf_part > bench/results/events_partitioned-plans.txt
set -euo pipefail
flat=$1 part=$2
hazard=$(psql -h 127.0.0.1 -U postgres -d "$flat" -At -c "SELECT hazard_id FROM hazards_hazardevent GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
queries=(
  "walk: all events by (hazard_id, seq)|SELECT hazard_id, seq, hash FROM hazards_hazardevent ORDER BY hazard_id, seq"
  "sequence: all positions in order|SELECT position, hash FROM hazards_hazardevent ORDER BY position"
  "one hazard's history|SELECT * FROM hazards_hazardevent WHERE hazard_id = $hazard ORDER BY seq"
  "one year's events (2025)|SELECT count(*) FROM hazards_hazardevent WHERE at >= '2025-01-01 00:00+08' AND at < '2026-01-01 00:00+08'"
  "last 30 days of events|SELECT count(*) FROM hazards_hazardevent WHERE at >= now() - interval '30 days'"
)
for q in "${queries[@]}"; do
  label=${q%%|*} sql=${q#*|}
  echo "=== $label"
  echo "    $sql"
  for round in 1 2 3; do
    for db in "$flat" "$part"; do
      ms=$(psql -h 127.0.0.1 -U postgres -d "$db" -At -c "EXPLAIN (ANALYZE, FORMAT JSON) $sql" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])')
      echo "    round $round $db: ${ms} ms"
    done
  done
  for db in "$flat" "$part"; do
    echo "    plan on $db:"
    psql -h 127.0.0.1 -U postgres -d "$db" -At -c "EXPLAIN (COSTS OFF) $sql" | sed 's/^/      /' | head -12
  done
done
