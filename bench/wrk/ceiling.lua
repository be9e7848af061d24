-- The bare constant-JSON GET of bench/ceiling.py.
dofile("bench/wrk/common.lua")

local req

function init(args)
   load_data(args)
   req = wrk.format("GET", "/", {["Accept"] = "application/json"})
end

function request()
   issued = issued + 1
   return req
end
