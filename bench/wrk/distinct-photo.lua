-- Every request is a new user with a new photo avatar: a new username and a new picture URL on the
-- local photo server, so neither the render cache nor the avatar cache can answer it.
-- Arguments: a run tag, then the photo server's base URL (percent-encoded).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
local tag = "r"
local photos = ""
function init(args)
  tag = args[1] or "r"
  photos = args[2] or ""
end

function request()
  n = n + 1
  local key = string.format("%s%dx%d", tag, tid, n)
  return wrk.format("GET", string.format("/api/og?username=%s&image=%s%%2Fp%%2F%s.jpg", key, photos, key))
end
