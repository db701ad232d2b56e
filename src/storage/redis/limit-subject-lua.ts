/**
 * The first part of the LimitStore's script (limit-scripts.ts): the batch's arguments, its clock,
 * and each subject's counters as the batch sees them, read from Redis once per batch, kept in Lua
 * tables while the operations run, and written back at the end (writeSubjects). The keys:
 *
 *   <prefix>lim:<subject>:c  hash   r<bucket> / t<bucket> -> requests / tokens in that bucket;
 *                                   R / T -> their sums over the buckets from `lo` on
 *   <prefix>lim:<subject>:b  hash   start -> the budget period's start, spent -> micro-dollars
 *   <prefix>lim:<subject>:l  zset   reservation id -> lease expiry (epoch ms)
 *
 * Numbers written back are formatted with %d (int), never Lua's default %.14g.
 */
export const SUBJECT_LUA = `local A = cjson.decode(ARGV[1])
local g, slots, nr = A[1], A[2], A[3]
local now, newest, firstLive = 0, 0, 0
local subjects = {}
local out = {}

local function int(v) return string.format('%d', v) end
local function leavesAt(b) return (b + slots) * g end
local function setNow(v)
  now = v
  newest = math.floor(now / g)
  firstLive = newest - slots + 1
end

-- A rule's limits from the rule table.
local rules = {}
local function rule(j)
  local r = rules[j]
  if r then return r end
  local p = 3 + (j - 1) * 6
  r = { rpm = tonumber(A[p + 1]), tpm = tonumber(A[p + 2]), conc = tonumber(A[p + 3]), budget = tonumber(A[p + 4]), pstart = A[p + 5], pend = tonumber(A[p + 6]) }
  rules[j] = r
  return r
end

-- The window's sums brought to firstLive: the buckets that left it since lo are subtracted and deleted.
local function trim(s)
  local h = redis.call('HMGET', s.ck, 'R', 'T', 'lo')
  local lo = tonumber(h[3])
  if not lo then
    -- A new (or expired) window: whatever buckets exist are summed once.
    local raw = redis.call('HGETALL', s.ck)
    local dead = {}
    s.R, s.T, s.lo = 0, 0, firstLive
    for i = 1, #raw, 2 do
      local f, kind = raw[i], string.sub(raw[i], 1, 1)
      if kind == 'r' or kind == 't' then
        if tonumber(string.sub(f, 2)) < firstLive then dead[#dead + 1] = f
        elseif kind == 'r' then s.R = s.R + tonumber(raw[i + 1])
        else s.T = s.T + tonumber(raw[i + 1]) end
      end
    end
    if #dead > 0 then redis.call('HDEL', s.ck, unpack(dead)) end
    s.dirty = #raw > 0
    return
  end
  s.R, s.T, s.lo = tonumber(h[1]) or 0, tonumber(h[2]) or 0, lo
  if lo >= firstLive then return end
  s.dirty = true
  s.lo = firstLive
  -- Every bucket is at most lo + slots - 1: past that, all of them have left.
  if firstLive - lo >= slots then
    redis.call('DEL', s.ck)
    s.R, s.T = 0, 0
    return
  end
  local fields = {}
  for b = lo, firstLive - 1 do
    fields[#fields + 1] = 'r' .. b
    fields[#fields + 1] = 't' .. b
  end
  local v = redis.call('HMGET', s.ck, unpack(fields))
  for i = 1, #fields, 2 do
    s.R = s.R - (tonumber(v[i]) or 0)
    s.T = s.T - (tonumber(v[i + 1]) or 0)
  end
  redis.call('HDEL', s.ck, unpack(fields))
end

-- A subject's counters, read once per batch; its lease set is re-swept when an operation's now is later.
local function subject(j)
  local ck = KEYS[3 * j - 2]
  local s = subjects[ck]
  if s then
    if now > s.leaseNow then
      s.concurrent = s.concurrent - redis.call('ZREMRANGEBYSCORE', s.lk, '-inf', int(now))
      s.leaseNow = now
    end
    return s
  end
  s = { ck = ck, bk = KEYS[3 * j - 1], lk = KEYS[3 * j], dr = 0, dt = 0, leaseNow = now, leaseTtl = 0, bttl = 0, adds = {}, added = {} }
  subjects[ck] = s
  subjects[#subjects + 1] = s
  trim(s)
  redis.call('ZREMRANGEBYSCORE', s.lk, '-inf', int(now))
  s.concurrent = redis.call('ZCARD', s.lk)
  return s
end

local function budgetState(s)
  if not s.bstart then
    local h = redis.call('HMGET', s.bk, 'start', 'spent')
    s.bstart, s.spent = h[1] or '', tonumber(h[2]) or 0
  end
end

-- Spent in the period starting at pstart ('' = no budget): a stored older period counts as zero.
local function spent(s, pstart)
  if pstart == '' then return 0 end
  budgetState(s)
  if s.bstart ~= pstart then return 0 end
  return s.spent
end

-- Writes this batch's window counts, at its end.
local function flushCounts(s)
  if newest >= s.lo then
    if s.dr ~= 0 then redis.call('HINCRBY', s.ck, 'r' .. newest, int(s.dr)) end
    -- The tokens field exists for every bucket that took a request: a settlement finds it there.
    if s.dr ~= 0 or s.dt ~= 0 then redis.call('HINCRBY', s.ck, 't' .. newest, int(s.dt)) end
  else
    -- Only a clock a window behind the fleet's gets here: its bucket has already left the window.
    s.R, s.T = s.R - s.dr, s.T - s.dt
  end
  s.dr, s.dt = 0, 0
  s.buckets = nil
end

-- Per-bucket counts, oldest first, this batch's unwritten counts included: for waits and reset times.
local function buckets(s)
  if not s.buckets then
    local raw = redis.call('HGETALL', s.ck)
    local byBucket, list = {}, {}
    for i = 1, #raw, 2 do
      local f, kind = raw[i], string.sub(raw[i], 1, 1)
      if kind == 'r' or kind == 't' then
        local b = tonumber(string.sub(f, 2))
        if b >= firstLive and b <= newest then
          local e = byBucket[b]
          if not e then e = { r = 0, t = 0, b = b }; byBucket[b] = e; list[#list + 1] = e end
          e[kind] = tonumber(raw[i + 1])
        end
      end
    end
    table.sort(list, function(x, y) return x.b < y.b end)
    s.buckets = list
    local base = byBucket[newest] or { r = 0, t = 0 }
    s.baseR, s.baseT = base.r, base.t
  end
  local list = s.buckets
  local last = list[#list]
  if s.dr ~= 0 or s.dt ~= 0 then
    if not last or last.b ~= newest then
      last = { r = 0, t = 0, b = newest }
      list[#list + 1] = last
    end
    last.r, last.t = s.baseR + s.dr, s.baseT + s.dt
  end
  return list
end

-- Ms until 'excess' of kind ('r' or 't') has left the window.
local function waitFor(s, excess, kind)
  local freed = 0
  for _, e in ipairs(buckets(s)) do
    freed = freed + e[kind]
    if freed >= excess then return leavesAt(e.b) - now end
  end
  return leavesAt(newest) - now
end

local function resetMs(s, kind)
  if (kind == 'r' and s.dr > 0) or (kind == 't' and s.dt > 0) then return leavesAt(newest) - now end
  if (kind == 'r' and s.R <= 0) or (kind == 't' and s.T <= 0) then return 0 end
  local list = buckets(s)
  for i = #list, 1, -1 do
    if list[i][kind] > 0 then return leavesAt(list[i].b) - now end
  end
  return 0
end

-- Writes back every subject the batch touched.
local function writeSubjects()
  for _, s in ipairs(subjects) do
    if s.dirty then
      flushCounts(s)
      redis.call('HSET', s.ck, 'R', int(s.R), 'T', int(s.T), 'lo', int(s.lo))
      redis.call('PEXPIRE', s.ck, (slots + 1) * g)
    end
    if s.bdirty then
      redis.call('HSET', s.bk, 'start', s.bstart, 'spent', int(s.spent))
      redis.call('PEXPIRE', s.bk, int(s.bttl))
    end
    local adds = {}
    for i = 1, #s.adds do if s.adds[i] then adds[#adds + 1] = s.adds[i] end end
    if #adds > 0 then redis.call('ZADD', s.lk, unpack(adds)) end
    if s.leaseTtl > 0 and redis.call('PTTL', s.lk) < s.leaseTtl then redis.call('PEXPIRE', s.lk, s.leaseTtl) end
  end
end
`;
