-- Uniform writes: a random like (PUT) or unlike (DELETE) of item "1".."100000" by user
-- "1".."1000000", the same id space and 50/50 mix as pgbench/like.sql + unlike.sql.
dofile("report.lua")

function init(args)
  math.randomseed(os.time() * 1000 + id)
end

function request()
  local method = math.random(2) == 1 and "PUT" or "DELETE"
  return wrk.format(method, "/v1/items/" .. math.random(100000) .. "/likes/" .. math.random(1000000))
end
