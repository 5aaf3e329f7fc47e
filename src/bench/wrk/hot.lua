-- One hot item: every request likes item $HOT_ITEM (default "2000002"; nobody else touches it;
-- pgbench's hot item is "2000001") as a user never seen before: thread id followed by a 9-digit
-- counter, e.g. "1000000042", so every acknowledged PUT must have added exactly one like. run.sh
-- then checks the item's counter against its rows and against the number of 2xx answers.
dofile("report.lua")

local item = os.getenv("HOT_ITEM") or "2000002"
local sent = 0

function request()
  sent = sent + 1
  return wrk.format("PUT", string.format("/v1/items/%s/likes/%d%09d", item, id, sent))
end
