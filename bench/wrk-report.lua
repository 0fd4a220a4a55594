-- wrk-report.lua — makes wrk print one machine-readable line at the end of
-- a run, so bench.py never parses wrk's human text (whose units change
-- between "us", "ms" and "s").
--
--   wrk -t1 -c1 -d10s -s bench/wrk-report.lua http://127.0.0.1:PORT/path
--
-- The line starts with "WRK_RESULT " and carries a JSON object: requests,
-- duration_us, bytes, socket errors, non-2xx/3xx responses, latency
-- percentiles and mean in microseconds.

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"stdev":%.1f,"min":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.min,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
