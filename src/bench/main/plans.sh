# shellcheck shell=bash
# Phase of src/bench/run.sh: the plans of the service's read statements (explain.sql) on the seeded
# data, as the pool runs them once prepared (generic plans): a first page and a page deep in each
# ranking, a user's likes, an item's likers. No statement may scan a whole table.
echo "== plans of the read statements (EXPLAIN ANALYZE, generic plans)"
explain() { # name args
  sql -c "SET plan_cache_mode = force_generic_plan" -f "$BENCH/explain.sql" \
    -c "EXPLAIN (ANALYZE, COSTS OFF) EXECUTE $1($2)" >"$work/plan-$1-$3.txt" || fail "EXPLAIN $1"
  ! grep -q "Seq Scan on \(like_counts\|likes\|like_buckets\)" "$work/plan-$1-$3.txt" \
    || fail "$1 scans a table: $(cat "$work/plan-$1-$3.txt")"
  printf "   %-13s %-6s %-48s %s\n" "$1" "$3" \
    "$(grep -o '\(Index Only Scan\|Index Scan\) using [a-z_]*' "$work/plan-$1-$3.txt" | head -1)" \
    "$(grep -o 'Execution Time: .*' "$work/plan-$1-$3.txt")"
}
for window in all hour day week; do
  explain "ranking_$window" "-9223372036854775807, '', 21" first
  explain "ranking_$window" "-2, '500000', 21" deep
done
explain ranking_hot "'-Infinity', '', 21" first
explain ranking_hot "-80000, '500000', 21" deep
explain user_likes "'4242', '9999-01-01', '', 21" first
explain likers "'42', '9999-01-01', '', 21" first

# Results by workload key: requests/s, p50 and p99 in ms, non-2xx (or failed transactions).
