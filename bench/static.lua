-- A fixed request (the bare "hello" POST with a heartbeat-sized body, or GET /services?limit=1000).
-- args: <method> <path> [body]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  method, path, body = args[1], args[2], args[3]
  if body then
    wrk.headers["Content-Type"] = "application/json"
  end
  bad, badstatus, minbytes = 0, "", 2^31
end

function request()
  return wrk.format(method, path, nil, body)
end

function response(status, headers, responseBody)
  if #responseBody < minbytes then minbytes = #responseBody end
  if status ~= 200 then
    bad = bad + 1
    badstatus = status .. " " .. responseBody:sub(1, 100)
  end
end

function done(summary, latency, requests)
  local bad_total, example, smallest = 0, "", 2^31
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if thread:get("minbytes") < smallest then smallest = thread:get("minbytes") end
    if thread:get("badstatus") ~= "" then example = thread:get("badstatus") end
  end
  io.write(string.format("SMALLEST_BODY %d\n", smallest))
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d non200=%d socket_errors=%d example=%s\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), bad_total,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    example:gsub("%s+", "_"):sub(1, 200)))
end
