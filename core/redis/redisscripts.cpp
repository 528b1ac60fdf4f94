#include "core/redis/redisscripts.h"

#include <QCryptographicHash>

namespace {

// Shared by every script: the server's clock in milliseconds, and event payloads built the
// way JobEvent::toJson() writes them.
constexpr char kPrelude[] = R"lua(
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function event(kind, attempt, extra)
  return '{"v":1,"type":"' .. kind .. '","attempt":' .. tostring(attempt) .. (extra or '') .. '}'
end
local function status_event(kind, attempt, status, error_json)
  local extra = ',"status":"' .. status .. '"'
  if error_json and error_json ~= '' then
    extra = extra .. ',"error":' .. error_json
  end
  return event(kind, attempt, extra)
end
local function drop_entry(queue, entry)
  if entry then
    redis.call('XACK', queue, 'workers', entry)
    redis.call('XDEL', queue, entry)
  end
end
local function expire_job(hash, events, cancel, ttl)
  redis.call('EXPIRE', hash, ttl)
  redis.call('EXPIRE', events, ttl)
  redis.call('EXPIRE', cancel, ttl)
end
local function lease_lost(hash, attempt)
  local status = redis.call('HGET', hash, 'status')
  local attempts = redis.call('HGET', hash, 'attempts')
  return redis.error_reply('LEASELOST attempt ' .. attempt .. ' no longer holds this job (it is '
    .. tostring(status) .. ' at attempt ' .. tostring(attempts) .. ')')
end
)lua";

// KEYS: job hash, events, queue stream, jobs index, queue set.
// ARGV: id, queue name, request JSON, entry JSON, submitted_at, queued event JSON.
constexpr char kSubmit[] = R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.error_reply('EXISTS job ' .. ARGV[1] .. ' exists already')
end
redis.call('HSET', KEYS[1], 'v', '1', 'id', ARGV[1], 'status', 'queued', 'queue', ARGV[2],
  'request', ARGV[3], 'attempts', '0', 'submitted_at', ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
redis.call('SADD', KEYS[5], ARGV[2])
redis.call('XADD', KEYS[2], '*', 'event', ARGV[6])
local entry = redis.call('XADD', KEYS[3], '*', 'job', ARGV[4])
redis.call('HSET', KEYS[1], 'entry', entry)
return entry
)lua";

// KEYS: job hash, events, cancel, queue stream, jobs index, dead-letter stream, the queue's
//       limits hash, active set and rate set.
// ARGV: entry id, worker, lease ms, max attempts, job id, queue name, request JSON,
//       submitted_at, ttl s, mode ("new": just delivered, "reclaim": pending past its lease).
// Returns {"claimed", attempt}, {"skipped"} (entry dropped), {"busy"} (lease still held) or
// {"limited", ms} (the queue's limits allow no new request for about that long; a new entry
// goes back to the end of the queue).
constexpr char kClaim[] = R"lua(
local hash, events, cancel, queue, jobs, dead = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local limits, active, rate = KEYS[7], KEYS[8], KEYS[9]
local entry, worker, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
local max_attempts, ttl, mode = tonumber(ARGV[4]), tonumber(ARGV[9]), ARGV[10]
local now = now_ms()

local status = redis.call('HGET', hash, 'status')
if not status then
  redis.call('HSET', hash, 'v', '1', 'id', ARGV[5], 'status', 'queued', 'queue', ARGV[6],
    'request', ARGV[7], 'attempts', '0', 'submitted_at', ARGV[8], 'entry', entry)
  redis.call('ZADD', jobs, ARGV[8], ARGV[5])
  status = 'queued'
end
local current = redis.call('HGET', hash, 'entry')
if (status ~= 'queued' and status ~= 'running') or (current and current ~= entry) then
  drop_entry(queue, entry)
  return {'skipped'}
end
if status == 'running' then
  if mode ~= 'reclaim' then
    return {'busy'}
  end
  local lease_until = tonumber(redis.call('HGET', hash, 'lease_until') or '0') or 0
  if lease_until > now then
    return {'busy'}
  end
end
-- Shared limits: requests running at once (leases not yet run out) and claims per minute.
local max_running = tonumber(redis.call('HGET', limits, 'concurrent') or '0') or 0
local max_per_minute = tonumber(redis.call('HGET', limits, 'per_minute') or '0') or 0
local wait_ms = nil
if max_running > 0 then
  redis.call('ZREMRANGEBYSCORE', active, '-inf', now)
  if not redis.call('ZSCORE', active, ARGV[5]) and redis.call('ZCARD', active) >= max_running then
    wait_ms = 100
  end
end
if not wait_ms and max_per_minute > 0 then
  redis.call('ZREMRANGEBYSCORE', rate, '-inf', now - 60000)
  if redis.call('ZCARD', rate) >= max_per_minute then
    local oldest = redis.call('ZRANGE', rate, 0, 0, 'WITHSCORES')
    wait_ms = math.max(100, tonumber(oldest[2]) + 60000 - now)
  end
end
if wait_ms then
  if mode == 'new' then
    local payload = '{"v":1,"id":' .. cjson.encode(ARGV[5]) .. ',"request":'
      .. redis.call('HGET', hash, 'request') .. ',"submitted_at":'
      .. (redis.call('HGET', hash, 'submitted_at') or '0') .. '}'
    local fresh = redis.call('XADD', queue, '*', 'job', payload)
    drop_entry(queue, entry)
    redis.call('HSET', hash, 'entry', fresh)
  end
  return {'limited', wait_ms}
end

if mode == 'reclaim' then
  local claimed = redis.call('XCLAIM', queue, 'workers', worker, lease, entry, 'JUSTID')
  if #claimed == 0 then
    return {'busy'}
  end
end

local attempts = redis.call('HINCRBY', hash, 'attempts', 1)
if redis.call('EXISTS', cancel) == 1 or attempts > max_attempts then
  local final, error_json = 'cancelled', ''
  if attempts > max_attempts then
    final = 'failed'
    error_json = '{"kind":"server","message":"gave up after ' .. (attempts - 1)
      .. ' attempts: the workers running this job stopped before it ended","http_status":null}'
    redis.call('HSET', hash, 'error', error_json)
  end
  attempts = attempts - 1
  redis.call('HSET', hash, 'status', final, 'attempts', attempts, 'finished_at', now)
  redis.call('XADD', events, '*', 'event', status_event('done', attempts, final, error_json))
  if final == 'failed' then
    redis.call('XADD', dead, 'MAXLEN', '~', 10000, '*', 'job', ARGV[5], 'queue', ARGV[6],
      'entry', entry, 'reason', 'attempts', 'error', error_json, 'at', now)
  end
  drop_entry(queue, entry)
  expire_job(hash, events, cancel, ttl)
  return {'skipped'}
end

redis.call('HSET', hash, 'status', 'running', 'worker', worker, 'entry', entry,
  'lease_until', now + lease, 'last_batch', '')
local started = tonumber(redis.call('HGET', hash, 'started_at') or '0') or 0
if started == 0 then
  redis.call('HSET', hash, 'started_at', now)
end
if attempts > 1 then
  redis.call('XADD', events, '*', 'event', event('reset', attempts))
end
redis.call('XADD', events, '*', 'event', status_event('status', attempts, 'running'))
if max_running > 0 then
  redis.call('ZADD', active, now + lease, ARGV[5])
end
if max_per_minute > 0 then
  redis.call('ZADD', rate, now, ARGV[5] .. ':' .. attempts)
end
return {'claimed', attempts}
)lua";

// KEYS: job hash, events, cancel, queue stream, the queue's active set.
// ARGV: attempt, lease ms, batch id, "1" when the batch holds answer text, event JSON….
// Returns 1 when cancellation was asked for, else 0; LEASELOST when the attempt is stale.
constexpr char kAppend[] = R"lua(
local hash = KEYS[1]
if redis.call('HGET', hash, 'status') ~= 'running'
    or redis.call('HGET', hash, 'attempts') ~= ARGV[1] then
  return lease_lost(hash, ARGV[1])
end
local now = now_ms()
redis.call('HSET', hash, 'lease_until', now + tonumber(ARGV[2]))
redis.call('ZADD', KEYS[5], 'XX', now + tonumber(ARGV[2]), redis.call('HGET', hash, 'id'))
local entry = redis.call('HGET', hash, 'entry')
local worker = redis.call('HGET', hash, 'worker')
if entry and worker then
  redis.call('XCLAIM', KEYS[4], 'workers', worker, 0, entry, 'JUSTID')
end
if #ARGV >= 5 and redis.call('HGET', hash, 'last_batch') ~= ARGV[3] then
  for i = 5, #ARGV do
    redis.call('XADD', KEYS[2], '*', 'event', ARGV[i])
  end
  redis.call('HSET', hash, 'last_batch', ARGV[3])
  local first = tonumber(redis.call('HGET', hash, 'first_token_at') or '0') or 0
  if ARGV[4] == '1' and first == 0 then
    redis.call('HSET', hash, 'first_token_at', now)
  end
end
return redis.call('EXISTS', KEYS[3])
)lua";

// KEYS: job hash, events, cancel, queue stream, dead-letter stream, the queue's active set.
// ARGV: attempt, ttl s, done event JSON, final status, error JSON or "", field, value….
constexpr char kFinish[] = R"lua(
local hash, events, cancel, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local status = redis.call('HGET', hash, 'status')
local attempts = redis.call('HGET', hash, 'attempts')
if status == ARGV[4] and attempts == ARGV[1] then
  return 0
end
if status ~= 'running' or attempts ~= ARGV[1] then
  return lease_lost(hash, ARGV[1])
end
local now = now_ms()
if #ARGV >= 7 then
  redis.call('HSET', hash, unpack(ARGV, 6))
end
redis.call('HSET', hash, 'status', ARGV[4], 'lease_until', 0)
local finished = tonumber(redis.call('HGET', hash, 'finished_at') or '0') or 0
if finished == 0 then
  redis.call('HSET', hash, 'finished_at', now)
end
redis.call('XADD', events, '*', 'event', ARGV[3])
redis.call('ZREM', KEYS[6], redis.call('HGET', hash, 'id'))
local entry = redis.call('HGET', hash, 'entry')
drop_entry(queue, entry)
if ARGV[4] == 'failed' then
  redis.call('XADD', KEYS[5], 'MAXLEN', '~', 10000, '*', 'job', redis.call('HGET', hash, 'id'),
    'queue', redis.call('HGET', hash, 'queue'), 'entry', tostring(entry), 'reason', 'failed',
    'error', ARGV[5], 'at', now)
end
expire_job(hash, events, cancel, tonumber(ARGV[2]))
return 1
)lua";

// KEYS: job hash, events, cancel, queue stream, the queue's active set.
// ARGV: attempt, ttl s. Returns "queued", or "cancelled" when cancellation was asked for.
constexpr char kRelease[] = R"lua(
local hash, events, cancel, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('HGET', hash, 'status') ~= 'running'
    or redis.call('HGET', hash, 'attempts') ~= ARGV[1] then
  return lease_lost(hash, ARGV[1])
end
local now = now_ms()
local old = redis.call('HGET', hash, 'entry')
redis.call('ZREM', KEYS[5], redis.call('HGET', hash, 'id'))
if redis.call('EXISTS', cancel) == 1 then
  redis.call('HSET', hash, 'status', 'cancelled', 'finished_at', now, 'lease_until', 0)
  redis.call('XADD', events, '*', 'event', status_event('done', ARGV[1], 'cancelled'))
  drop_entry(queue, old)
  expire_job(hash, events, cancel, tonumber(ARGV[2]))
  return 'cancelled'
end
local payload = '{"v":1,"id":' .. cjson.encode(redis.call('HGET', hash, 'id'))
  .. ',"request":' .. redis.call('HGET', hash, 'request')
  .. ',"submitted_at":' .. (redis.call('HGET', hash, 'submitted_at') or '0') .. '}'
local entry = redis.call('XADD', queue, '*', 'job', payload)
drop_entry(queue, old)
redis.call('HSET', hash, 'status', 'queued', 'worker', '', 'entry', entry, 'lease_until', 0)
redis.call('XADD', events, '*', 'event', status_event('status', ARGV[1], 'queued'))
return 'queued'
)lua";

// KEYS: job hash, events, cancel, queue stream. ARGV: ttl s.
// Returns 1 when asked, 0 when the job had ended already; NOTFOUND for an unknown job.
constexpr char kCancel[] = R"lua(
local hash, events, cancel, queue = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local status = redis.call('HGET', hash, 'status')
if not status then
  return redis.error_reply('NOTFOUND no such job')
end
if status ~= 'queued' and status ~= 'running' then
  return 0
end
local ttl = tonumber(ARGV[1])
redis.call('SET', cancel, '1', 'EX', ttl)
if status == 'queued' then
  local attempts = redis.call('HGET', hash, 'attempts') or '0'
  redis.call('HSET', hash, 'status', 'cancelled', 'finished_at', now_ms())
  redis.call('XADD', events, '*', 'event', status_event('done', attempts, 'cancelled'))
  drop_entry(queue, redis.call('HGET', hash, 'entry'))
  expire_job(hash, events, cancel, ttl)
end
return 1
)lua";

// KEYS: queue stream, dead-letter stream. ARGV: entry id, queue name, reason, payload, job id.
constexpr char kDeadLetter[] = R"lua(
redis.call('XADD', KEYS[2], 'MAXLEN', '~', 10000, '*', 'job', ARGV[5], 'queue', ARGV[2],
  'entry', ARGV[1], 'reason', ARGV[3], 'payload', ARGV[4], 'at', now_ms())
drop_entry(KEYS[1], ARGV[1])
return 1
)lua";

RedisScript makeScript(const char *name, const char *body)
{
    RedisScript script;
    script.name = name;
    script.source = QByteArray(kPrelude).append(body);
    script.sha1 = QCryptographicHash::hash(script.source, QCryptographicHash::Sha1).toHex();
    return script;
}

} // namespace

namespace redisscripts {

const RedisScript &submit()
{
    static const RedisScript script = makeScript("submit", kSubmit);
    return script;
}

const RedisScript &claim()
{
    static const RedisScript script = makeScript("claim", kClaim);
    return script;
}

const RedisScript &append()
{
    static const RedisScript script = makeScript("append", kAppend);
    return script;
}

const RedisScript &finish()
{
    static const RedisScript script = makeScript("finish", kFinish);
    return script;
}

const RedisScript &release()
{
    static const RedisScript script = makeScript("release", kRelease);
    return script;
}

const RedisScript &cancel()
{
    static const RedisScript script = makeScript("cancel", kCancel);
    return script;
}

const RedisScript &deadLetter()
{
    static const RedisScript script = makeScript("deadLetter", kDeadLetter);
    return script;
}

} // namespace redisscripts
