-- Ranking pages as visitors open them: the first page of a random window (all, hour, day, week or hot),
-- 10, 20 or 50 items. The same for everyone, so a replica serves them from memory.
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + 400 + id)
end

local windows = { "all", "hour", "day", "week", "hot" }
local limits = { 10, 20, 50 }

function request()
  return wrk.format("GET", "/v1/rankings?window=" .. windows[math.random(#windows)] .. "&limit=" .. limits[math.random(3)])
end
