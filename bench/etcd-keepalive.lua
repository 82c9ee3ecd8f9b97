-- etcd v3 JSON gateway: POST /v3/lease/keepalive {"ID":"<lease>"}, each thread cycling over its slice
-- of the granted leases (one connection per thread, as for the registry's heartbeats).
-- args: <leases file, one ID a line> <unused> <threads>

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(args[3])
  bodies = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % nthreads == tid then
      bodies[#bodies + 1] = '{"ID":"' .. line .. '"}'
    end
    i = i + 1
  end
  wrk.headers["Content-Type"] = "application/json"
  cur, bad, badstatus = 0, 0, ""
end

function request()
  cur = cur % #bodies + 1
  return wrk.format("POST", "/v3/lease/keepalive", nil, bodies[cur])
end

function response(status, headers, body)
  -- a keepalive without TTL means the lease is gone: that is a failed renewal
  if status ~= 200 or not body:find('"TTL"') then
    bad = bad + 1
    badstatus = status .. " " .. body
  end
end

function done(summary, latency, requests)
  local bad_total, example = 0, ""
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if thread:get("badstatus") ~= "" then example = thread:get("badstatus") end
  end
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non200=%d socket_errors=%d example=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    example:gsub("%s+", "_"):sub(1, 200)))
end
