-- Every request asks for a card no one asked for before: a new username per request.
-- Arguments: a run tag, so two runs against one server never share names.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
local tag = "r"
function init(args)
  tag = args[1] or "r"
end

function request()
  n = n + 1
  return wrk.format("GET", string.format("/api/og?username=%s%dx%d", tag, tid, n))
end
