-- wrk script of the benchmark (bench/measure.py runs it).
--   BENCH_COOKIE    Cookie header sent with every request (the signed-in session), optional
--   BENCH_DELAY_MS  pause of each connection between a response and its next request, optional:
--                   the closed-loop pacing used for "p95 at half the maximum rate"
-- done() prints one line "WRKJSON {...}": counts, errors (non-2xx included) and latency
-- percentiles in microseconds, including the p95 that `wrk --latency` does not print.

local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0") or 0
if pause > 0 then
  function delay()
    return pause
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

non2xx = 0

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeout_errors": %d, ' ..
    '"non2xx": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, bad, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
