-- Uniform writes as browsers send them: every user has a token of its own (sub = the user id;
-- $USER_TOKENS holds user i's token on line i, minted by tokens/MintUserTokens.java) and clicks
-- $CLICKS_PER_TOKEN times with it (a like or unlike of a random item "1".."100000", 50/50, as in
-- uniform.lua) before the next user comes. Thread k of $THREADS takes users k, k + THREADS, ...
dofile("report.lua")

local tokens = {}
local clicks_per_token = tonumber(os.getenv("CLICKS_PER_TOKEN") or "4")
local user, clicked

function init(args)
  math.randomseed(os.time() * 1000 + id)
  for line in io.lines(os.getenv("USER_TOKENS")) do
    table.insert(tokens, line)
  end
  user = id
  clicked = 0
end

function request()
  if clicked == clicks_per_token then
    user = user + tonumber(os.getenv("THREADS") or "2")
    if user > #tokens then user = id end
    clicked = 0
  end
  clicked = clicked + 1
  local method = math.random(2) == 1 and "PUT" or "DELETE"
  return wrk.format(method, "/v1/items/" .. math.random(100000) .. "/likes/" .. user,
    { ["Authorization"] = "Bearer " .. tokens[user] })
end
