-- A user's likes: GET /v1/users/{user}/likes, the first page (20) of a random seeded user out of
-- "1".."1000000", each of whom likes about 10 items.
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + 300 + id)
end

function request()
  return wrk.format("GET", "/v1/users/" .. math.random(1000000) .. "/likes")
end
