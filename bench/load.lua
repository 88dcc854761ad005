-- wrk script for `make bench-load` (bench/load.py): one target a run.
--   wrk ... -s bench/load.lua <url> -- get            the same request every time
--   wrk ... -s bench/load.lua <url> -- gzip           the same, with Accept-Encoding: gzip
--   wrk ... -s bench/load.lua <url> -- bust           a new page number every time: a page
--                                                     parameter the cache keys on (pagecache.keys),
--                                                     so each request is rendered
--   wrk ... -s bench/load.lua <url> -- post <file>    the form body in <file>, with {N} made
--                                                     unique per request, {OPENED} a one-use
--                                                     value of its own, and its Cookie header
-- done() prints one line of JSON for load.py.

local threads = {}
local next_id = 1

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

local mode = "get"
local body_template = nil
local opened = {}
local counter = 0

function init(args)
    mode = args[1] or "get"
    if mode == "gzip" then
        wrk.headers["Accept-Encoding"] = "gzip"  -- as a browser asks
    end
    if mode == "post" then
        local file = assert(io.open(args[2], "r"))
        local cookie = file:read("*l")
        body_template = file:read("*l")
        for line in file:lines() do
            table.insert(opened, line)
        end
        file:close()
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
        wrk.headers["Cookie"] = cookie
    end
end

function request()
    counter = counter + 1
    local unique = tostring(id) .. "x" .. tostring(counter)
    if mode == "bust" then
        -- A number never 1 (the page without the parameter) nor seen before: a parameter no
        -- page reads (?load=) would be left out of the key and served the kept page.
        return wrk.format(nil, wrk.path .. "?page=" .. tostring(id * 100000000 + counter + 1))
    elseif mode == "post" then
        -- A one-use "opened at" value a request (wrk -t2: thread 1 takes the odd ones, thread
        -- 2 the even ones); a function as the replacement, so a "%" in the value is literal.
        local value = opened[((counter - 1) * 2 + id - 1) % #opened + 1]
        local body = string.gsub(body_template, "{N}", unique)
        body = string.gsub(body, "{OPENED}", function() return value end)
        return wrk.format(nil, wrk.path, nil, body)
    end
    return wrk.format(nil, wrk.path)
end

function done(summary, latency, requests)
    local errors = summary.errors
    io.write(string.format(
        '{"requests": %d, "duration_us": %d, "status_errors": %d, "connect": %d, ' ..
        '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\n',
        summary.requests, summary.duration, errors.status, errors.connect, errors.read,
        errors.write, errors.timeout, latency:percentile(50), latency:percentile(99)))
end
