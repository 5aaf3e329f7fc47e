-- One item's count, of 100 items ("1".."100"): after the first reads every answer comes from the
-- replica's memory (docs/reads.md), so this is the REST path (routing, JSON) without the database.
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + id)
end

function request()
  return wrk.format("GET", "/v1/items/" .. math.random(100))
end
