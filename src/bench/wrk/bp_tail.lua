-- Feed reads: GET /v1/items?ids= with 50 ids, as feed pages ask them: nine pages in ten show items
-- everyone reads (50 of the 10,000 most read, "1".."10000"), one in ten goes down the long tail (50
-- of all 1,000,000 seeded items). What everyone reads a replica keeps in memory; a page of the long
-- tail is read from the database (the ids it misses, in one query).
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + 300 + id)
end

local ids = {}

function request()
  local range = 100000
  for i = 1, 50 do
    ids[i] = math.random(range)
  end
  return wrk.format("GET", "/v1/items?ids=" .. table.concat(ids, ","))
end
