-- POST /api/events: a launch of one of the recorded shares per request, by a new viewer each time
-- (so no viewer budget is reached). Arguments: a file with one share id per line, a run tag number.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local shares = {}
local n = 0
local base = 0
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then shares[#shares + 1] = line end
  end
  base = tonumber(args[2] or "1") * 100000000 + tid * 10000000
end

function request()
  n = n + 1
  local share = shares[(n % #shares) + 1]
  local body = string.format('{"type":"launch","share":"%s","viewerFid":%d}', share, base + n)
  return wrk.format("POST", "/api/events", { ["content-type"] = "application/json" }, body)
end
