-- rest.lua - wrk script: Bearer token from TOKEN, path from PATH_PREFIX;
-- with BEFORE_LO/BEFORE_HI each request asks for a different history page
-- (before=<random id in the range>), so no two requests hit the same rows;
-- with PATHS_FILE (one path a line) each request is one of its paths, at
-- random.
local token = os.getenv("TOKEN")
local prefix = os.getenv("PATH_PREFIX")
local lo = tonumber(os.getenv("BEFORE_LO") or "")
local hi = tonumber(os.getenv("BEFORE_HI") or "")
local paths = {}
if os.getenv("PATHS_FILE") then
  for line in io.lines(os.getenv("PATHS_FILE")) do
    if line ~= "" then paths[#paths + 1] = line end
  end
end
if token then wrk.headers["Authorization"] = "Bearer " .. token end

request = function()
  local path = prefix
  if #paths > 0 then path = paths[math.random(#paths)]
  elseif lo and hi then path = prefix .. math.random(lo, hi) end
  return wrk.format("GET", path)
end
