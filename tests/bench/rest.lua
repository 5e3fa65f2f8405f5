-- rest.lua - wrk script: Bearer token from TOKEN, path from PATH_PREFIX;
-- with BEFORE_LO/BEFORE_HI each request asks for a different history page
-- (before=<random id in the range>), so no two requests hit the same rows.
local token = os.getenv("TOKEN")
local prefix = os.getenv("PATH_PREFIX")
local lo = tonumber(os.getenv("BEFORE_LO") or "")
local hi = tonumber(os.getenv("BEFORE_HI") or "")
if token then wrk.headers["Authorization"] = "Bearer " .. token end

request = function()
  local path = prefix
  if lo and hi then path = prefix .. math.random(lo, hi) end
  return wrk.format("GET", path)
end
