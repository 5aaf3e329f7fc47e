-- The framework's floor: GET /like-button.js, a static file the service serves from its jar, no
-- database and no JSON. Every read's rate is reported as a fraction of this one's.
dofile("report.lua")

function request()
  return wrk.format("GET", "/like-button.js")
end
