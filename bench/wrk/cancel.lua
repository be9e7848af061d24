-- POST /users/orders/anonymous/cancellation_requests/: each request on a different order's
-- cancellable item 0 (id = order * 20), ownership proven in the body. Thread t takes the
-- sequence numbers offset+t-1, offset+t-1+T, ...; sequence k maps to order
-- 1 + (k * stride) % orders, a permutation (stride is coprime to orders), so no item is asked
-- for twice (the measured run starts past the numbers its warm-up used).
dofile("bench/wrk/common.lua")

local data, headers, next_k

function init(args)
   data = load_data(args)
   headers = json_client_headers(data)
   next_k = data.offset + id - 1
end

function request()
   issued = issued + 1
   local k = next_k
   next_k = next_k + data.threads
   local i = 1 + (k * data.stride) % data.orders
   local body = string.format(
      '{"email": "guest%d@bench.example", "order": "%012d", "order_item": %d, "reason": %d, ' ..
      '"cancellation_type": "cancel", "quantity": 1}',
      i, i, i * data.item_stride, data.reason)
   return wrk.format("POST", "/users/orders/anonymous/cancellation_requests/", headers, body)
end
