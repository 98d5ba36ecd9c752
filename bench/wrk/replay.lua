-- Replays the requests of a file, one a line: method, path, body (may be empty), then headers "Name: value", all
-- tab-separated. Thread k of n takes lines k, k+n, k+2n... (all of them when there are fewer lines than
-- threads) and sends them in turn, starting over at its end.
-- At the end prints the run's figures as one JSON line (prefix WRK_JSON) for the bench driver (dev.huddle.bench).
--   wrk -t2 -c32 -d20s -s bench/wrk/replay.lua http://127.0.0.1:8080 -- requests.tsv 2

local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
end

local reqs = {}
local n = 0
local i = 0

function init(args)
  local file, threads = args[1], tonumber(args[2])
  local lines = {}
  for line in io.lines(file) do
    lines[#lines + 1] = line
  end
  for k, line in ipairs(lines) do
    -- fewer lines than threads: every thread sends them all
    if #lines < threads or (k - 1) % threads == id then
      local fields = {}
      for f in (line .. "\t"):gmatch("([^\t]*)\t") do
        fields[#fields + 1] = f
      end
      local headers = {}
      for h = 4, #fields do
        local name, value = fields[h]:match("^([^:]+):%s*(.*)$")
        if name then
          headers[name] = value
        end
      end
      local body = nil
      if fields[3] ~= "" then
        body = fields[3]
      end
      n = n + 1
      reqs[n] = wrk.format(fields[1], fields[2], headers, body)
    end
  end
  if n == 0 then
    error("no requests in " .. file)
  end
end

function request()
  i = i % n + 1
  return reqs[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = string.format('{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,'
      .. '"write_errors":%d,"status_errors":%d,"timeouts":%d,"mean_us":%.1f,"max_us":%d,"percentiles":[',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.max)
  local ps = { 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 100 }
  for k, p in ipairs(ps) do
    if k > 1 then
      out = out .. ","
    end
    out = out .. string.format("[%g,%d]", p, latency:percentile(p))
  end
  io.write("WRK_JSON " .. out .. "]}\n")
end
