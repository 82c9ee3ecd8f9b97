-- Heartbeats with rotating tokens against the autoreg registry.
-- wrk's Lua API has no per-connection identity, so the bench runs one connection per wrk thread
-- (-t N -c N): each connection then owns its Lua state, a slice of the services, and uses the token
-- from the last response of each of its services. Any non-200 answer is counted and reported.
-- args: <tokens file with "id token" lines> <tenant> <threads>

local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, tenant = args[1], args[2]
  local nthreads = tonumber(args[3])
  ids, tokens, paths = {}, {}, {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == tid then
      local id, token = line:match("^(%S+)%s+(%S+)$")
      ids[#ids + 1] = id
      tokens[#tokens + 1] = token
      paths[#paths + 1] = "/v1.0/" .. tenant .. "/services/" .. id .. "/heartbeat"
    end
    i = i + 1
  end
  wrk.headers["Content-Type"] = "application/json"
  cur, inflight, bad, badstatus = 0, 0, 0, ""
end

function request()
  cur = cur % #ids + 1
  inflight = cur
  return wrk.format("POST", paths[cur], nil, '{"token":"' .. tokens[cur] .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    tokens[inflight] = body:match('"token"%s*:%s*"([^"]+)"')
  else
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
