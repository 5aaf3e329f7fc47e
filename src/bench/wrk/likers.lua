-- Who liked an item: GET /v1/items/{item}/likes, the first page (20) of a random seeded item out of
-- "1".."1000000", each liked by 1 to 19 users; as a backend asks (report.lua sends its token).
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + 400 + id)
end

function request()
  return wrk.format("GET", "/v1/items/" .. math.random(1000000) .. "/likes")
end
