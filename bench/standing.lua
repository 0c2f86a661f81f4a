-- wrk script for GET /v1/subjects/{id}/standing (used by bench/enforcement.py).
--   wrk ... -s bench/standing.lua http://127.0.0.1:PORT -- KEY_FILE IDS_FILE
-- Each thread picks a uniformly random subject id per request from its own random stream;
-- done() prints one machine-readable line: WRK_JSON {...} (latencies in microseconds).

local paths = {}
local headers = {}
local thread_count = 0

function setup(thread)
  thread:set("seed", 7919 * (thread_count + 1))
  thread_count = thread_count + 1
end

function init(args)
  local key_file = assert(io.open(args[1], "r"))
  local key = key_file:read("*l")
  key_file:close()
  headers["Authorization"] = "Bearer " .. key
  for line in io.lines(args[2]) do
    if #line > 0 then
      paths[#paths + 1] = "/v1/subjects/" .. line .. "/standing"
    end
  end
  math.randomseed(seed or 1)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], headers)
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "connect": %.0f, '
      .. '"read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f, "p50": %.0f, '
      .. '"p90": %.0f, "p99": %.0f, "max": %.0f, "mean": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean
  ))
end
