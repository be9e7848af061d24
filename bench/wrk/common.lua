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
sample = ""

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if (status < 200 or status > 299) and sample == "" then
      -- the first unexpected answer of this thread, JSON-escaped, for the report
      sample = string.format("%d ", status) .. (body or ""):sub(1, 300):gsub('[%c"\\\128-\255]',
         function(c) return string.format("\\u%04x", c:byte()) end)
   end
end

function load_data(args)
   -- The first argument after "--" is a Lua file written by bench/run.py returning a table.
   local data = dofile(args[1])
   math.randomseed(data.seed + id * 7919)
   return data
end

function json_client_headers(data)
   -- This thread's CSRF session (token and cookie), for the JSON POSTs.
   local client = data.clients[(id - 1) % #data.clients + 1]
   return {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
      ["X-CSRFToken"] = client.token,
      ["Cookie"] = client.cookie,
   }
end

function done(summary, latency, requests)
   local counts = {}
   local most_issued = 0
   local first_sample = ""
   for _, thread in ipairs(threads) do
      if first_sample == "" then first_sample = thread:get("sample") or "" end
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
      '"statuses": {%s}, "unexpected_sample": "%s"}\n',
      summary.requests, summary.duration, summary.bytes, #threads, most_issued,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      latency.mean, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ", "),
      first_sample))
end
