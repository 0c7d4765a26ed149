// The Lua token bucket every replica runs atomically in Redis: refill by elapsed time, then take or reserve a token.

/**
 * KEYS[1]: the bucket (a hash of `tokens` and `at`, ms). ARGV: burst, refill per second, now in ms ('' → Redis
 * TIME, one clock for every replica), key TTL in ms, mode, reservation horizon in ms.
 *
 * Mode `try`: takes a token if one is there (wait 0), else answers the ms until one is due and takes nothing.
 * Mode `reserve`: a token that is not there yet is reserved — the balance goes below zero and the caller is told
 * when its token is due (wait ms), so callers queue in the order they asked and each goes out at its own slot,
 * `1 / rate` after the previous one, without asking again. Lateness of one caller's timer then never delays the
 * next. A reservation further out than the horizon is not made: the answer is how long to wait before asking again.
 *
 * Returns { wait, now, granted }: granted is 1 when a token was taken or reserved (go out after `wait` ms), 0 when
 * nothing was taken; now is the bucket clock's time of the answer (ms). A caller whose clock is behind the stored
 * `at` gets no refill and never moves `at` back.
 */
export const TOKEN_BUCKET_SCRIPT = `
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local reserve = ARGV[5] == 'reserve'
local horizon = tonumber(ARGV[6]) or 0
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * perMs)
  at = now
end
local wait = 0
local granted = 1
if tokens >= 1 then
  tokens = tokens - 1
else
  local due = math.ceil((1 - tokens) / perMs)
  if reserve and due <= horizon then
    tokens = tokens - 1
    wait = due
  else
    granted = 0
    wait = reserve and (due - horizon) or due
  end
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { wait, now, granted }
`;
