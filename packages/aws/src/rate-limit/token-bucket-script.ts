// The Lua token bucket every replica runs atomically in Redis: refill by elapsed time, then take one token or say how long to wait.

/**
 * KEYS[1]: the bucket (a hash of `tokens` and `at`, ms). ARGV: burst, refill per second, now in ms ('' → Redis
 * TIME, one clock for every replica), key TTL in ms. Returns { wait, now }: wait is 0 when a token was taken, else
 * the ms until one is due; now is the bucket clock's time of the answer (ms).
 * A caller whose clock is behind the stored `at` gets no refill and never moves `at` back.
 */
export const TOKEN_BUCKET_SCRIPT = `
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2]) / 1000
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
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
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) / perMs)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return { wait, now }
`;
