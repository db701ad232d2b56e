/**
 * The LimitStore's Lua script: one EVALSHA runs a batch of operations (reservations, settlements,
 * usage reads) in order, atomically across every subject they touch (Redis runs a script alone).
 * The store sends every operation of one event-loop turn as one batch (limit-batch.ts), so Redis
 * and the gateway pay one command per turn instead of two per request (issue #27: 0.55x of the
 * in-memory throughput with one EVALSHA per reserve and per settle).
 *
 *   <prefix>lim:<subject>:c  hash   r<bucket> / t<bucket> -> requests / tokens in that bucket;
 *                                   R / T -> their sums over the buckets from `lo` on
 *   <prefix>lim:<subject>:b  hash   start -> the budget period's start, spent -> micro-dollars
 *   <prefix>lim:<subject>:l  zset   reservation id -> lease expiry (epoch ms)
 *
 * The running sums R and T spare reading the whole window (61 buckets at 1 s) on every call: a
 * subject's counters are read with one HMGET per batch, and only the buckets that left the window
 * since `lo` are read and subtracted. Per-bucket detail (HGETALL) is read only when a wait or a
 * reset time needs it: a refusal, or a request that reserves no tokens. Builds before the sums
 * kept the window in `:w`; a fleet upgraded in place counts its rates afresh for a minute.
 *
 * Time is the caller's `now` (the contract passes it explicitly, and every instance judges by the
 * same wall clock), never Redis's TIME; key expiries are relative, so they hold whatever the two
 * clocks say. One batch's operations share a bucket and a UTC day (the store splits batches
 * there), so the window is trimmed once per batch and the budget periods are the batch's.
 * Calendar arithmetic stays in TypeScript: the caller passes each period's start and end.
 * Numbers written back are formatted with %d, never Lua's default %.14g.
 */
import { luaScript } from './redis-connection.js';

/**
 * KEYS: per rule c, b, l.
 * ARGV[1]: one JSON array (the client encodes one string, not hundreds of arguments) of g, slots,
 * rule count, then per rule rpm, tpm, concurrency, budget micros, period start (a string), period
 * end ('' = absent), then the operations, each a kind followed by its fields:
 *   1 reserve: now, id, leaseUntil (a string), leaseTtlMs, tokens, cost, rule count, rule numbers (1-based)
 *   2 settle:  now, id, reservedAt, tokensDelta, costDelta, rule count, then per rule its number and
 *              whether its budget period is still the reservation's (1/0)
 *   3 usage:   now, rule count, rule numbers
 * Returns one JSON array holding, in operation order: per reserve { admitted, refused rule
 * (position in the request, 1-based, or 0), limit code, tooLarge, wait (-1 = none), then per rule
 * requests, requestsResetMs, tokens, tokensResetMs, concurrent, spent }; per usage the six numbers
 * per rule; nothing per settle.
 */
export const LIMIT_BATCH = luaScript(`
local A = cjson.decode(ARGV[1])
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

local function usage(s, r)
  local n = #out
  out[n + 1] = s.R
  out[n + 2] = resetMs(s, 'r')
  out[n + 3] = s.T
  out[n + 4] = resetMs(s, 't')
  out[n + 5] = s.concurrent
  out[n + 6] = spent(s, r.pstart)
end

-- The refusal that is the last to clear (or can never clear) among those of one reservation.
local worst = nil
local function consider(v, i)
  v.rule = i
  if not worst then worst = v; return end
  local a, b = v, worst
  local better
  if a.tooLarge ~= b.tooLarge then better = a.tooLarge
  elseif a.wait == nil or b.wait == nil then better = (b.wait == nil and a.wait ~= nil)
  else better = a.wait > b.wait end
  if better then worst = v end
end

local function reserve(p)
  local id, leaseUntil, leaseTtl = A[p + 2], A[p + 3], A[p + 4]
  local tokens, cost, n = A[p + 5], A[p + 6], A[p + 7]
  local mine, states = {}, {}
  worst = nil
  for i = 1, n do
    local j = A[p + 7 + i]
    local r, s = rule(j), subject(j)
    mine[i], states[i] = r, s
    if r.rpm and s.R + 1 > r.rpm then
      if r.rpm < 1 then consider({ limit = 1, tooLarge = true }, i) else consider({ limit = 1, tooLarge = false, wait = waitFor(s, s.R + 1 - r.rpm, 'r') }, i) end
    end
    if r.tpm and s.T + tokens > r.tpm then
      if tokens > r.tpm then consider({ limit = 2, tooLarge = true }, i) else consider({ limit = 2, tooLarge = false, wait = waitFor(s, s.T + tokens - r.tpm, 't') }, i) end
    end
    if r.conc and s.concurrent >= r.conc then consider({ limit = 3, tooLarge = r.conc < 1 }, i) end
    -- Admitted while anything is left: spend ends at most one reservation beyond the budget.
    if r.budget and spent(s, r.pstart) >= r.budget then consider({ limit = 4, tooLarge = false, wait = r.pend - now }, i) end
  end
  if worst then
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4], out[#out + 5] = 0, worst.rule, worst.limit, worst.tooLarge and 1 or 0, worst.wait or -1
  else
    out[#out + 1], out[#out + 2], out[#out + 3], out[#out + 4], out[#out + 5] = 1, 0, 0, 0, -1
    for i = 1, n do
      local r, s = mine[i], states[i]
      s.dr, s.R = s.dr + 1, s.R + 1
      s.dt, s.T = s.dt + tokens, s.T + tokens
      s.dirty = true
      if r.pstart ~= '' then
        budgetState(s)
        if s.bstart ~= r.pstart then s.bstart, s.spent = r.pstart, 0 end
        s.spent = s.spent + cost
        s.bdirty = true
        s.bttl = math.max(s.bttl, r.pend - now + 86400000)
      end
      -- Ids are unique per request (ReserveRequest.id): each lease is new. Written at the end, in one ZADD.
      if not s.added[id] then
        s.adds[#s.adds + 1] = leaseUntil
        s.adds[#s.adds + 1] = id
        s.added[id] = #s.adds
        s.concurrent = s.concurrent + 1
      end
      if leaseTtl > s.leaseTtl then s.leaseTtl = leaseTtl end
    end
  end
  for i = 1, n do usage(states[i], mine[i]) end
  return p + 7 + n
end

local function settle(p)
  local id, reservedAt, tokensDelta, costDelta = A[p + 2], A[p + 3], A[p + 4], A[p + 5]
  local n = A[p + 6]
  local b = math.floor(reservedAt / g)
  local field = 't' .. b
  for i = 1, n do
    local j, samePeriod = A[p + 5 + 2 * i], A[p + 6 + 2 * i] == 1
    local r, s = rule(j), subject(j)
    local at = s.added[id]
    if at then
      -- Leased in this batch, not written yet: it is simply not written.
      s.adds[at - 1], s.adds[at] = false, false
      s.added[id] = nil
      s.concurrent = s.concurrent - 1
    else
      s.concurrent = s.concurrent - redis.call('ZREM', s.lk, id)
    end
    -- Only a bucket still in the window takes a delta (buckets from lo on exist while their key
    -- does: a reservation wrote them); never below zero.
    if tokensDelta ~= 0 and b >= firstLive and b >= s.lo then
      if b == newest then
        -- The batch's own bucket: what it held is read once, the deltas join the batch's counts.
        if s.committedT == nil then s.committedT = tonumber(redis.call('HGET', s.ck, field)) or false end
        if s.committedT or s.dr > 0 then
          local applied = math.max(tokensDelta, -((s.committedT or 0) + s.dt))
          s.dt = s.dt + applied
          s.T = s.T + applied
        end
      else
        local v = redis.call('HINCRBY', s.ck, field, int(tokensDelta))
        local applied = tokensDelta
        if v < 0 then
          redis.call('HSET', s.ck, field, 0)
          applied = tokensDelta - v
        end
        s.T = s.T + applied
        s.buckets = nil
      end
      s.dirty = true
    end
    -- A request that straddles a period boundary stays counted in the period it started in.
    if r.pstart ~= '' and costDelta ~= 0 and samePeriod then
      budgetState(s)
      if s.bstart ~= r.pstart then s.bstart, s.spent = r.pstart, 0 end
      s.spent = math.max(0, s.spent + costDelta)
      s.bdirty = true
      s.bttl = math.max(s.bttl, r.pend - now + 86400000)
    end
  end
  return p + 6 + 2 * n
end

local p = 4 + nr * 6
while p <= #A do
  local kind = A[p]
  setNow(A[p + 1])
  if kind == 1 then p = reserve(p)
  elseif kind == 2 then p = settle(p)
  else
    local n = A[p + 2]
    for i = 1, n do
      local j = A[p + 2 + i]
      usage(subject(j), rule(j))
    end
    p = p + 2 + n
  end
  p = p + 1
end

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
if #out == 0 then return '[]' end
return cjson.encode(out)
`);
