-- wrk script for POST /v1/screen (used by bench/http_load.py).
--   wrk ... -s bench/screen.lua http://127.0.0.1:PORT -- KEY_FILE BODIES_FILE
-- Each thread pre-builds one request per body line and rotates through them from its own
-- offset; done() prints one machine-readable line: WRK_JSON {...} (latencies in microseconds).

local requests = {}
local cursor = 0
local thread_count = 0

function setup(thread)
  thread:set("offset", thread_count * 97)
  thread_count = thread_count + 1
end

function init(args)
  local key_file = assert(io.open(args[1], "r"))
  local key = key_file:read("*l")
  key_file:close()
  for line in io.lines(args[2]) do
    if #line > 0 then
      local headers = {
        ["Content-Type"] = "application/json",
        ["Authorization"] = "Bearer " .. key,
      }
      requests[#requests + 1] = wrk.format("POST", "/v1/screen", headers, line)
    end
  end
  cursor = offset or 0
end

function request()
  cursor = cursor % #requests + 1
  return requests[cursor]
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
