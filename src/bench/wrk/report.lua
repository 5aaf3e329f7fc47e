-- Shared by the workload scripts (wrk is run from this directory, so dofile finds it).
-- done() prints one machine-readable line that run.sh parses; latencies and duration are in µs.
-- summary.errors.status counts answers with a status above 399, which here means every non-2xx
-- (the service answers no 1xx or 3xx).

-- Calls that act for a user carry $TOKEN, a trusted backend's bearer token (run.sh mints it), as
-- a shop's backend would send them; public reads ignore it.
local token = os.getenv("TOKEN")
if token then
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- Threads get ids 1..N so that their random seeds and generated user ids differ.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "bench requests=%d duration_us=%d non2xx=%d sockerr=%d read_write_err=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    e.read + e.write, latency:percentile(50), latency:percentile(99)))
end
