-- POST /users/orders/anonymous/ for random seeded orders; one CSRF session per thread.
-- The floor of bench/ceiling.py is sent the same request at its own path (data.path).
dofile("bench/wrk/common.lua")

local data, headers, path

function init(args)
   data = load_data(args)
   headers = json_client_headers(data)
   path = data.path or "/users/orders/anonymous/"
end

function request()
   issued = issued + 1
   local i = math.random(1, data.orders)
   local body = string.format('{"email": "guest%d@bench.example", "order": "%012d"}', i, i)
   return wrk.format("POST", path, headers, body)
end
