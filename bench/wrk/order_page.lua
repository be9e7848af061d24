-- GET /orders/<id>/ (HTML) with session cookies that looked those orders up first.
dofile("bench/wrk/common.lua")

local data

function init(args)
   data = load_data(args)
end

function request()
   issued = issued + 1
   local session = data.sessions[math.random(1, #data.sessions)]
   local order = session.orders[math.random(1, #session.orders)]
   return wrk.format("GET", "/orders/" .. order .. "/", {
      ["Accept"] = "text/html",
      ["Cookie"] = session.cookie,
   })
end
