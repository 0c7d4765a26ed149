// Client-side AWS rate limits shared across replicas: documented bucket sizes, the Redis token bucket, the SDK plugin.
export { awsBucketFor, BURST_HEADROOM_PERCENT, bucketFor, RATE_HEADROOM_PERCENT, type BucketRate, type BucketSpec, type RateLimitKey, type RateLimitOverrides } from './aws-rate-limits.js';
export type { RateLimiter } from './rate-limiter.js';
export { RedisRateLimiter, type RedisRateLimiterOptions, type RedisScripting } from './redis-rate-limiter.js';
export { rateLimitPlugin, RATE_LIMIT_MIDDLEWARE_NAME } from './rate-limit-plugin.js';
