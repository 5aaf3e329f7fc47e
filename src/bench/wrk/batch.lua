-- Batch reads: GET /v1/items?ids= with 50 random items out of the 1,000,000 seeded ones.
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + 100 + id)
end

local ids = {}

function request()
  for i = 1, 50 do
    ids[i] = math.random(1000000)
  end
  return wrk.format("GET", "/v1/items?ids=" .. table.concat(ids, ","))
end
