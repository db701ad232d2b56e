/**
 * The LimitStore's Lua scripts: each operation is one EVALSHA, atomic across every subject of the
 * request (Redis runs a script alone), so reserve and settle are one round trip each. They are
 * memory-limit-store.ts and window-counter.ts in Lua, with the same buckets:
 *
 *   <prefix>lim:<subject>:w  hash   r<bucket> / t<bucket> -> requests / tokens in that bucket
 *   <prefix>lim:<subject>:b  hash   start -> the budget period's start, spent -> micro-dollars
 *   <prefix>lim:<subject>:l  zset   reservation id -> lease expiry (epoch ms)
 *
 * Time is the caller's `now` (the contract passes it explicitly, and every instance judges by the
 * same wall clock), never Redis's TIME; key expiries are relative, so they hold whatever the two
 * clocks say. Calendar arithmetic (budget periods) stays in TypeScript: the caller passes each
 * period's start and end. Counters are integers (HINCRBY), so no number is ever formatted by Lua.
 */
import { luaScript } from './redis-connection.js';

/** Shared by the three scripts: window reading, waits and reset times. */
const PRELUDE = `
local now = tonumber(ARGV[1])
local g = tonumber(ARGV[2])
local slots = tonumber(ARGV[3])
local newest = math.floor(now / g)
local firstLive = newest - slots + 1

local function readWindow(key)
  local raw = redis.call('HGETALL', key)
  local buckets, dead, list = {}, {}, {}
  local w = { r = 0, t = 0 }
  for i = 1, #raw, 2 do
    local f = raw[i]
    local b = tonumber(string.sub(f, 2))
    if b < firstLive then
      dead[#dead + 1] = f
    else
      local e = buckets[b]
      if not e then e = { r = 0, t = 0 }; buckets[b] = e; list[#list + 1] = b end
      local v = tonumber(raw[i + 1])
      if string.sub(f, 1, 1) == 'r' then e.r = v; w.r = w.r + v else e.t = v; w.t = w.t + v end
    end
  end
  if #dead > 0 then redis.call('HDEL', key, unpack(dead)) end
  table.sort(list)
  w.buckets = buckets
  w.list = list
  return w
end

local function leavesAt(b) return (b + slots) * g end

-- Ms until 'excess' of kind ('r' or 't') has left the window.
local function waitFor(w, excess, kind)
  local freed = 0
  for _, b in ipairs(w.list) do
    if b <= newest then
      freed = freed + w.buckets[b][kind]
      if freed >= excess then return leavesAt(b) - now end
    end
  end
  return leavesAt(newest) - now
end

local function resetMs(w, kind)
  for i = #w.list, 1, -1 do
    local b = w.list[i]
    if b <= newest and w.buckets[b][kind] > 0 then return leavesAt(b) - now end
  end
  return 0
end

local function leases(key)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  return redis.call('ZCARD', key)
end

-- Spent in the period starting at 'start' ('' = no budget): a stored older period counts as zero.
local function spent(key, start)
  if start == '' then return 0 end
  local s = redis.call('HMGET', key, 'start', 'spent')
  if s[1] ~= start then return 0 end
  return tonumber(s[2]) or 0
end
`;

/**
 * KEYS: per rule w, b, l. ARGV: now, g, slots, id, leaseUntil, leaseTtlMs, tokens, cost, then per
 * rule rpm, tpm, concurrency, budget micros, period start, period end ('' = absent).
 * Returns { admitted, refused rule (1-based, 0), limit code, tooLarge, wait (-1 = none), then per
 * rule requests, requestsResetMs, tokens, tokensResetMs, concurrent, spent }.
 */
export const RESERVE = luaScript(`${PRELUDE}
local id, leaseUntil, leaseTtl = ARGV[4], ARGV[5], tonumber(ARGV[6])
local tokens, cost = tonumber(ARGV[7]), ARGV[8]
local n = #KEYS / 3
local state = {}
local worst = nil
local function consider(v, rule)
  v.rule = rule
  if not worst then worst = v; return end
  local a, b = v, worst
  local better
  if a.tooLarge ~= b.tooLarge then better = a.tooLarge
  elseif a.wait == nil or b.wait == nil then better = (b.wait == nil and a.wait ~= nil)
  else better = a.wait > b.wait end
  if better then worst = v end
end
for i = 1, n do
  local p = 8 + (i - 1) * 6
  local rpm, tpm, conc, budget = tonumber(ARGV[p + 1]), tonumber(ARGV[p + 2]), tonumber(ARGV[p + 3]), tonumber(ARGV[p + 4])
  local pstart, pend = ARGV[p + 5], tonumber(ARGV[p + 6])
  local w = readWindow(KEYS[3 * i - 2])
  local s = { w = w, concurrent = leases(KEYS[3 * i]), spent = spent(KEYS[3 * i - 1], pstart), pstart = pstart, pend = pend }
  state[i] = s
  if rpm and w.r + 1 > rpm then
    if rpm < 1 then consider({ limit = 1, tooLarge = true }, i) else consider({ limit = 1, tooLarge = false, wait = waitFor(w, w.r + 1 - rpm, 'r') }, i) end
  end
  if tpm and w.t + tokens > tpm then
    if tokens > tpm then consider({ limit = 2, tooLarge = true }, i) else consider({ limit = 2, tooLarge = false, wait = waitFor(w, w.t + tokens - tpm, 't') }, i) end
  end
  if conc and s.concurrent >= conc then consider({ limit = 3, tooLarge = conc < 1 }, i) end
  -- Admitted while anything is left: spend ends at most one reservation beyond the budget.
  if budget and s.spent >= budget then consider({ limit = 4, tooLarge = false, wait = pend - now }, i) end
end
local out
if worst then
  out = { 0, worst.rule, worst.limit, worst.tooLarge and 1 or 0, worst.wait or -1 }
else
  out = { 1, 0, 0, 0, -1 }
  for i = 1, n do
    local s, wk, bk, lk = state[i], KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
    redis.call('HINCRBY', wk, 'r' .. newest, 1)
    redis.call('HINCRBY', wk, 't' .. newest, ARGV[7])
    redis.call('PEXPIRE', wk, (slots + 1) * g)
    local e = s.w.buckets[newest]
    if not e then e = { r = 0, t = 0 }; s.w.buckets[newest] = e; s.w.list[#s.w.list + 1] = newest end
    e.r = e.r + 1
    e.t = e.t + tokens
    s.w.r = s.w.r + 1
    s.w.t = s.w.t + tokens
    if s.pstart ~= '' then
      if redis.call('HGET', bk, 'start') ~= s.pstart then redis.call('HSET', bk, 'start', s.pstart, 'spent', 0) end
      s.spent = redis.call('HINCRBY', bk, 'spent', cost)
      redis.call('PEXPIRE', bk, s.pend - now + 86400000)
    end
    s.concurrent = s.concurrent + redis.call('ZADD', lk, leaseUntil, id)
    if redis.call('PTTL', lk) < leaseTtl then redis.call('PEXPIRE', lk, leaseTtl) end
  end
end
for i = 1, n do
  local s = state[i]
  local w = s.w
  for _, v in ipairs({ w.r, resetMs(w, 'r'), w.t, resetMs(w, 't'), s.concurrent, s.spent }) do out[#out + 1] = v end
end
return out
`);

/**
 * KEYS: per rule w, b, l. ARGV: now, g, slots, id, reservedAt, tokensDelta, costDelta, then per
 * rule the budget period start at now and at reservedAt ('' and '' = no budget).
 */
export const SETTLE = luaScript(`${PRELUDE}
local id, reservedAt, tokensDelta, costDelta = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local b = math.floor(reservedAt / g)
local field = 't' .. b
for i = 1, #KEYS / 3 do
  local wk, bk, lk = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
  local pnow, pres = ARGV[6 + 2 * i], ARGV[7 + 2 * i]
  redis.call('ZREM', lk, id)
  -- Only a bucket still in the window takes a delta; never below zero.
  if tokensDelta ~= 0 and b >= firstLive and redis.call('HEXISTS', wk, field) == 1 then
    if redis.call('HINCRBY', wk, field, ARGV[6]) < 0 then redis.call('HSET', wk, field, 0) end
  end
  -- A request that straddles a period boundary stays counted in the period it started in.
  if pnow ~= '' and costDelta ~= 0 and pnow == pres then
    if redis.call('HGET', bk, 'start') ~= pnow then redis.call('HSET', bk, 'start', pnow, 'spent', 0) end
    if redis.call('HINCRBY', bk, 'spent', ARGV[7]) < 0 then redis.call('HSET', bk, 'spent', 0) end
  end
end
return 1
`);

/** KEYS: per rule w, b, l. ARGV: now, g, slots, then per rule the budget period start (''). Returns per rule the six usage numbers. */
export const USAGE = luaScript(`${PRELUDE}
local out = {}
for i = 1, #KEYS / 3 do
  local w = readWindow(KEYS[3 * i - 2])
  for _, v in ipairs({ w.r, resetMs(w, 'r'), w.t, resetMs(w, 't'), leases(KEYS[3 * i]), spent(KEYS[3 * i - 1], ARGV[3 + i]) }) do out[#out + 1] = v end
end
return out
`);
