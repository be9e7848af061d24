-- Shared by the load scripts (loaded with dofile, cwd is the project root).
-- Each wrk thread gets an id; responses are counted by status; done() prints one line
-- "BENCH_RESULT {json}" that bench/run.py parses.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("id", counter)
   table.insert(threads, thread)
end

statuses = {}
issued = 0

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function load_data(args)
   -- The first argument after "--" is a Lua file written by bench/run.py returning a table.
   local data = dofile(args[1])
   math.randomseed(data.seed + id * 7919)
   return data
end

function done(summary, latency, requests)
   local counts = {}
   local most_issued = 0
   for _, thread in ipairs(threads) do
      for code, n in pairs(thread:get("statuses")) do
         counts[code] = (counts[code] or 0) + n
      end
      most_issued = math.max(most_issued, thread:get("issued") or 0)
   end
   local parts = {}
   for code, n in pairs(counts) do
      table.insert(parts, string.format('"%d": %d', code, n))
   end
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "threads": %d, ' ..
      '"most_issued_per_thread": %d, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes, #threads, most_issued,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", ")))
end
