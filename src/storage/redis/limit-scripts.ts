/**
 * The LimitStore's Lua script: one EVALSHA runs a batch of operations (reservations, settlements,
 * usage reads) in order, atomically across every subject they touch (Redis runs a script alone).
 * The store sends every operation of one event-loop turn as one batch (limit-batch.ts), so Redis
 * and the gateway pay one command per turn instead of two per request (issue #27: 0.55x of the
 * in-memory throughput with one EVALSHA per reserve and per settle).
 *
 * Each subject's counters (limit-subject-lua.ts: the keys, reading and writing them) are read with
 * one HMGET per batch: running sums spare reading the whole window (61 buckets at 1 s), and only
 * the buckets that left the window since the last call are read and subtracted. Per-bucket detail (HGETALL) is read only when a wait or a
 * reset time needs it: a refusal, or a request that reserves no tokens. Builds before the sums
 * kept the window in `:w`; a fleet upgraded in place counts its rates afresh for a minute.
 *
 * Time is the caller's `now` (the contract passes it explicitly, and every instance judges by the
 * same wall clock), never Redis's TIME; key expiries are relative, so they hold whatever the two
 * clocks say. One batch's operations share a bucket and a UTC day (the store splits batches
 * there), so the window is trimmed once per batch and the budget periods are the batch's.
 * Calendar arithmetic stays in TypeScript: the caller passes each period's start and end.
 */
import { SUBJECT_LUA } from './limit-subject-lua.js';
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
export const LIMIT_BATCH = luaScript(`${SUBJECT_LUA}
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

writeSubjects()
if #out == 0 then return '[]' end
return cjson.encode(out)
`);
