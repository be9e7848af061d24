-- The contract's floor of bench/ceiling.py: a CSRF-checked JSON POST that rewrites the session.
dofile("bench/wrk/common.lua")

local data, headers

function init(args)
   data = load_data(args)
   headers = json_client_headers(data)
end

function request()
   issued = issued + 1
   local i = math.random(1, data.orders)
   local body = string.format('{"email": "guest%d@bench.example", "order": "%012d"}', i, i)
   return wrk.format("POST", "/", headers, body)
end
