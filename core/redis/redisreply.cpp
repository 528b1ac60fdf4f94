#include "core/redis/redisreply.h"

#include <QStringList>

using namespace Qt::StringLiterals;

std::optional<qint64> RedisReply::toInteger() const
{
    if (type == Type::Integer) {
        return integer;
    }
    if (type == Type::String || type == Type::Status) {
        bool ok = false;
        const qint64 value = string.toLongLong(&ok);
        if (ok) {
            return value;
        }
    }
    return std::nullopt;
}

QString RedisReply::debugText() const
{
    switch (type) {
    case Type::Nil:
        return u"(nil)"_s;
    case Type::Integer:
        return u"(integer) "_s + QString::number(integer);
    case Type::String:
        return u'"' + QString::fromUtf8(string.left(200)) + u'"';
    case Type::Status:
        return QString::fromUtf8(string);
    case Type::Error:
        return u"(error) "_s + QString::fromUtf8(string);
    case Type::Array: {
        QStringList parts;
        for (const RedisReply &element : elements) {
            parts.append(element.debugText());
        }
        return u'[' + parts.join(u", "_s) + u']';
    }
    }
    return {};
}
