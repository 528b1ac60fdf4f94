#pragma once

#include <QByteArray>

// The Lua scripts of wire format v1 (docs/wire-format.md). Each runs atomically in Redis, so
// a claim, a lease check with its append, or a finish can never interleave with another
// worker's. They read the clock with TIME, which Redis 5+ allows in scripts because it
// replicates their effects, not the script.
struct RedisScript
{
    QByteArray name;
    QByteArray source;
    QByteArray sha1; // what EVALSHA takes
};

namespace redisscripts {

const RedisScript &submit();
const RedisScript &claim();
const RedisScript &append();
const RedisScript &finish();
const RedisScript &release();
const RedisScript &cancel();
const RedisScript &deadLetter();

} // namespace redisscripts
