-- Ranking pages of the window in $WINDOW (all, hour, day, week or hot; default all): the first page,
-- then the page after it by the "next" cursor of the latest answer (passed as ?after=), back to
-- the first page after 50 pages or at the end. The thread's
-- connections share one cursor, so two of them may fetch the same page; every request is still a
-- real keyset-page read. The cursor is base64url, which needs no escaping in a query string.
dofile("report.lua")

local LIMIT, MAX_PAGES = 20, 50
local WINDOW = os.getenv("WINDOW") or "all"
local after, pages = nil, 0

function request()
  local path = "/v1/rankings?window=" .. WINDOW .. "&limit=" .. LIMIT
  if after then
    path = path .. "&after=" .. after
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then
    after, pages = nil, 0
    return
  end
  pages = pages + 1
  after = body:match('"next":"([^"]+)"')
  if pages >= MAX_PAGES then
    after, pages = nil, 0
  end
end
