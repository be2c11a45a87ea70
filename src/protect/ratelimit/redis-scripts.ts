// One Lua script per algorithm. Each decision is ONE script call (EVALSHA, one round-trip), atomic on
// the server, so concurrent gateways never race between read and write (the drift in Kong/kong#5311).
// The arithmetic mirrors algorithms/*.ts step by step with the same IEEE doubles, so memory and Redis
// decide identically; all values stay below 2^53 and are written with %.0f (Lua's default %.14g
// would round large integers).
//
// KEYS: 1 state (a string for token bucket, GCRA and fixed window, else a hash; see ScriptDef.state),
// then (only when the rule bans) 2 violation counter and 3 ban flag, then (sliding log only) the log
// list last; all share one {hash tag} so the script is legal on Redis Cluster.
// The rule's numbers (limit, period, burst, ban) are written into the script text itself (ruleScript),
// one cached script per compiled rule: parsing them from ARGV on every call cost about 2 µs of the
// server's time per decision (INFO commandstats), more than a Redis command.
// ARGV: 1 cost, 2 now ('' = Redis TIME, so every gateway shares the server's clock), 3 mode
// (c = consume, r = refund).
// Returns {remaining, resetMs, now} when admitted (the common answer, kept short: every element is
// built in Lua, sent and parsed), else {0, remaining, resetMs, retryAfterMs, banned, now}; a refund
// returns the long form with allowed = 1. The fixed window reads no clock on its common path, so its
// admitted answer is {remaining, resetMs} and its `now` is nil (the caller stamps its own time).
// Requires Redis 5 or later: scripts are replicated by their effects, so TIME may precede writes.
import type { LimitSpec } from './types.js';

// The rule, the call's arguments and the clock. `now` is the decision's time in ms: CLOCK reads it at
// once (every algorithm but the fixed window needs it on every call).
const RULE = `
local limit, P, burst, bAfter, bWithin, bDur = __RULE__
local cost = tonumber(ARGV[1])
local refund = ARGV[3] == 'r'
`;

const CLOCK = `
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

// Only rules that ban get this (ruleScript): the ban check and `denied`, which counts violations.
// For the others, ruleScript writes each `return denied(...)` as the answer itself, because a local
// function is a closure built on every call (about 0.1 µs, 4% of a fixed-window decision).
const BAN = `
if not refund then
  local ttl = redis.call('PTTL', KEYS[3])
  if ttl > 0 then return {0, 0, ttl, ttl, 1, now} end
end
local function denied(remaining, reset, retry)
  local v = redis.call('INCR', KEYS[2])
  if v == 1 then redis.call('PEXPIRE', KEYS[2], bWithin) end
  if v >= bAfter then
    local d = bDur
    redis.call('DEL', KEYS[2])
    redis.call('SET', KEYS[3], '1', 'PX', d)
    return {0, 0, d, d, 1, now}
  end
  return {0, remaining, reset, retry, 0, now}
end
`;

const PRELUDE = RULE + CLOCK + '__BAN__';

// Helpers of the algorithms that store numbers as text or compute refill times. A local function is
// a closure created on every call, so the fixed window, which needs none of them, goes without.
const HELPERS = `
local function fmt(n) return string.format('%.0f', n) end
local function ceildiv(a, b) if a <= 0 then return 0 end return math.ceil(a / b) end
local function keep(key, idle) redis.call('PEXPIRE', key, idle + 1000) end
`;

// State: one string "tokens:last" (see GCRA below for why a string).
const TOKEN_BUCKET = `
local cap = burst * P
local tokens, last
local s = redis.call('GET', KEYS[1])
if s then
  local a, b = string.match(s, '^(%d+):(%d+)$')
  tokens = tonumber(a); last = tonumber(b)
end
if tokens == nil or last == nil then tokens = cap; last = now end
local elapsed = now - last
if elapsed > 0 then
  if elapsed >= ceildiv(cap - tokens, limit) then tokens = cap else tokens = tokens + elapsed * limit end
  last = now
end
local function save()
  local idle = math.max(0, last - now) + ceildiv(cap - tokens, limit)
  redis.call('SET', KEYS[1], fmt(tokens) .. ':' .. fmt(last), 'PX', idle + 1000)
end
if refund then
  tokens = math.min(cap, tokens + cost * P)
  save()
  return {1, 0, 0, 0, 0, now}
end
local need = cost * P
if need <= tokens then
  tokens = tokens - need
  save()
  return {math.floor(tokens / P), ceildiv(cap - tokens, limit), now}
end
save()
local retry
if need > cap then retry = P else retry = ceildiv(need - tokens, limit) end
return denied(math.floor(tokens / P), ceildiv(cap - tokens, limit), retry)
`;

// The state is one string "tatMs:tatRem" written with SET PX: one command stores it and re-arms its
// expiry (a hash needed HSET and PEXPIRE). String states live under ":t" (hash states under ":s"),
// so a gateway upgraded in place never reads an older version's hash as a string (WRONGTYPE).
const GCRA = `
local tol = burst * P
local tatMs, tatRem
local s = redis.call('GET', KEYS[1])
if s then
  local a, b = string.match(s, '^(%d+):(%d+)$')
  tatMs = tonumber(a); tatRem = tonumber(b)
end
if tatMs == nil or tatRem == nil or tatMs < now then tatMs = now; tatRem = 0 end
local function save(m, r, idle)
  redis.call('SET', KEYS[1], fmt(m) .. ':' .. fmt(r), 'PX', idle + 1000)
end
if refund then
  local debt = (tatMs - now) * limit + tatRem - cost * P
  if debt < 0 then debt = 0 end
  save(now + math.floor(debt / limit), debt % limit, ceildiv(debt, limit))
  return {1, 0, 0, 0, 0, now}
end
local total = tatRem + cost * P
local newMs = tatMs + math.floor(total / limit)
local newRem = total % limit
local newDebt = (newMs - now) * limit + newRem
if newDebt <= tol then
  save(newMs, newRem, ceildiv(newDebt, limit))
  return {math.floor((tol - newDebt) / P), ceildiv(newDebt, limit), now}
end
local debt = (tatMs - now) * limit + tatRem
local retry
if cost * P > tol then retry = P else retry = ceildiv(newDebt - tol, limit) end
return denied(math.floor((tol - debt) / P), ceildiv(debt, limit), retry)
`;

// One string counter per key that lives exactly as long as its window: it expires at the window's end,
// so the key's existence says which window it counts, and a decision is INCRBY + PTTL. The clock is
// read only at a window's first units, to set that end (TIME and its conversion cost about as much
// as both commands together, and HINCRBY on a per-window hash field twice an INCRBY: INFO
// commandstats, bench/ratelimit). On Redis' clock the expiry is absolute (PEXPIREAT on the aligned
// boundary), so every gateway and Redis itself agree on where windows end; with `clock: gateway` it
// is relative to the gateway's time. A denied decision takes its units back (DECRBY): counts stay
// exact. `now` starts false (a nil reply element): the common path has no time to report.
const NO_CLOCK = `
local now = false
`;

const FIXED_WINDOW = `
local K = KEYS[1]
if refund then
  local c = tonumber(redis.call('GET', K))
  if c and c > 0 then redis.call('DECRBY', K, math.min(c, cost)) end
  return {1, 0, 0, 0, 0, now}
end
local count = redis.call('INCRBY', K, cost)
local reset = -1
if count ~= cost then
  reset = redis.call('PTTL', K)
  -- A key outlives the ms its expiry names: with 0 ms left its window has ended, and this decision
  -- opens the next one.
  if reset == 0 then
    count = cost
    redis.call('SET', K, cost)
    reset = -1
  end
end
-- A new window (INCRBY created the key, or the one above), or a key without expiry (written by
-- something else): the window's end becomes the key's expiry.
if reset < 0 then
  if ARGV[2] ~= '' then
    now = tonumber(ARGV[2])
    reset = (math.floor(now / P) + 1) * P - now
    redis.call('PEXPIRE', K, reset)
  else
    local t = redis.call('TIME')
    now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
    local ends = (math.floor(now / P) + 1) * P
    redis.call('PEXPIREAT', K, ends)
    reset = ends - now
  end
end
if count <= limit then
  if count == 0 then reset = 0 end
  return {limit - count, reset}
end
count = redis.call('DECRBY', K, cost)
local r = reset
if count == 0 then r = 0 end
return denied(math.max(0, limit - count), r, reset)
`;

const SLIDING_COUNTER = `
local win = math.floor(now / P)
local s = redis.call('HMGET', KEYS[1], 'w', 'p', 'c')
local sw = tonumber(s[1])
local prev = tonumber(s[2])
local curr = tonumber(s[3])
if sw == nil or prev == nil or curr == nil then sw = win; prev = 0; curr = 0 end
if win > sw then
  if win == sw + 1 then prev = curr else prev = 0 end
  curr = 0
  sw = win
end
local e = now - sw * P
local function save()
  redis.call('HSET', KEYS[1], 'w', fmt(sw), 'p', fmt(prev), 'c', fmt(curr))
  local idle = 0
  if curr > 0 then idle = 2 * P - e elseif prev > 0 then idle = P - e end
  keep(KEYS[1], math.max(0, idle))
end
if refund then
  curr = math.max(0, curr - cost)
  save()
  return {1, 0, 0, 0, 0, now}
end
local weighted = prev * (P - e)
local allowed = weighted + (curr + cost) * P <= limit * P
if allowed then curr = curr + cost end
save()
local remaining = math.max(0, limit - (curr + ceildiv(weighted, P)))
local reset = 0
if curr > 0 then reset = 2 * P - e elseif prev > 0 then reset = P - e end
if allowed then return {remaining, reset, now} end
if cost > limit then return denied(remaining, reset, P) end
local left = P - e
if prev > 0 and limit - curr - cost >= 0 then
  local d = math.max(1, left - math.floor(((limit - curr - cost) * P) / prev))
  if d < left then return denied(remaining, reset, d) end
end
local e2 = 0
if curr > 0 then e2 = math.max(0, P - math.floor(((limit - cost) * P) / curr)) end
return denied(remaining, reset, left + e2)
`;

// The log is a list of "time,cost" entries, oldest first, plus the live sum in the state hash.
const SLIDING_LOG = `
local LOG = KEYS[#KEYS]
local sum = tonumber(redis.call('HGET', KEYS[1], 's')) or 0
while true do
  local head = redis.call('LINDEX', LOG, 0)
  if not head then break end
  local t, c = string.match(head, '^(%d+),(%d+)$')
  if tonumber(t) + P > now then break end
  redis.call('LPOP', LOG)
  sum = sum - tonumber(c)
end
if redis.call('LLEN', LOG) == 0 then sum = 0 end
local function newest()
  local tail = redis.call('LINDEX', LOG, -1)
  if not tail then return nil end
  local t = string.match(tail, '^(%d+),')
  return tonumber(t)
end
local function save()
  redis.call('HSET', KEYS[1], 's', fmt(sum))
  local n = newest()
  local idle = 0
  if n then idle = math.max(0, n + P - now) end
  keep(KEYS[1], idle)
  keep(LOG, idle)
end
if refund then
  local left = cost
  while left > 0 do
    local tail = redis.call('RPOP', LOG)
    if not tail then break end
    local t, c = string.match(tail, '^(%d+),(%d+)$')
    c = tonumber(c)
    if c <= left then
      sum = sum - c; left = left - c
    else
      redis.call('RPUSH', LOG, t .. ',' .. fmt(c - left))
      sum = sum - left; left = 0
    end
  end
  save()
  return {1, 0, 0, 0, 0, now}
end
local allowed = sum + cost <= limit
if allowed and cost > 0 then
  local t = now
  local n = newest()
  if n and n > t then t = n end
  redis.call('RPUSH', LOG, fmt(t) .. ',' .. fmt(cost))
  sum = sum + cost
end
save()
local n = newest()
local reset = 0
if n then reset = n + P - now end
if allowed then return {limit - sum, reset, now} end
local retry = P
local freed = 0
local entries = redis.call('LRANGE', LOG, 0, -1)
for i = 1, #entries do
  local t, c = string.match(entries[i], '^(%d+),(%d+)$')
  freed = freed + tonumber(c)
  if sum - freed + cost <= limit then retry = tonumber(t) + P - now; break end
end
return denied(limit - sum, reset, retry)
`;

export interface ScriptDef {
  readonly command: string;
  readonly suffix: string;
  /** The state key's last segment: "s" for a hash, "t" for a string (text). */
  readonly state: 's' | 't';
  readonly lua: string;
}

export const SCRIPTS = {
  'token-bucket': {
    command: 'bulwarkRlTb',
    suffix: 'tb',
    state: 't',
    lua: PRELUDE + HELPERS + TOKEN_BUCKET,
  },
  gcra: { command: 'bulwarkRlGcra', suffix: 'gc', state: 't', lua: PRELUDE + HELPERS + GCRA },
  'fixed-window': {
    command: 'bulwarkRlFw',
    suffix: 'fw',
    state: 't',
    lua: RULE + NO_CLOCK + '__BAN__' + FIXED_WINDOW,
  },
  'sliding-window-counter': {
    command: 'bulwarkRlSwc',
    suffix: 'swc',
    state: 's',
    lua: PRELUDE + HELPERS + SLIDING_COUNTER,
  },
  'sliding-window-log': {
    command: 'bulwarkRlSwl',
    suffix: 'swl',
    state: 's',
    lua: PRELUDE + HELPERS + SLIDING_LOG,
  },
} as const satisfies Record<string, ScriptDef>;

/** The algorithm's script with the rule's numbers in place of __RULE__ (all safe integers), and the
 * ban logic only where the rule bans (see BAN). */
export function ruleScript(spec: LimitSpec): string {
  const b = spec.block;
  const numbers = [
    spec.limit,
    spec.periodMs,
    spec.burst,
    b?.after ?? 0,
    b?.withinMs ?? 0,
    b?.durationMs ?? 0,
  ];
  if (!numbers.every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new RangeError(
      `rate-limit rule numbers must be non-negative safe integers: ${numbers.join(', ')}`,
    );
  const lua = SCRIPTS[spec.algorithm].lua.replace('__RULE__', numbers.join(', '));
  if (b !== undefined && b.after > 0) return lua.replace('__BAN__', BAN);
  // Every call is one line: `return denied(args)`, possibly closing an `if ... then` with ` end`.
  return lua
    .replace('__BAN__', '')
    .replace(/return denied\(([^\n]*?)\)( end)?$/gm, 'return {0, $1, 0, now}$2');
}
