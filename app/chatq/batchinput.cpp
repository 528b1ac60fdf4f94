#include "app/chatq/batchinput.h"

#include "core/util/result.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

// The request object a line stands for, with the shorthand expanded and the defaults
// filled in; or why the line is not one.
Result<QJsonObject, QString> requestObject(QJsonObject object, const BatchDefaults &defaults)
{
    object.remove(u"id"_s);

    const bool hasPrompt = object.contains(u"prompt"_s);
    if (hasPrompt && object.contains(u"messages"_s)) {
        return u"give either \"prompt\" or \"messages\", not both"_s;
    }
    if (hasPrompt) {
        const QJsonValue prompt = object.take(u"prompt"_s);
        const QJsonValue system = object.take(u"system"_s);
        if (!prompt.isString() || prompt.toString().trimmed().isEmpty()) {
            return u"\"prompt\" is not a non-empty string"_s;
        }
        if (!system.isUndefined() && !system.isString()) {
            return u"\"system\" is not a string"_s;
        }
        QJsonArray messages;
        if (system.isString()) {
            messages.append(QJsonObject{{u"role"_s, u"system"_s}, {u"content"_s, system}});
        }
        messages.append(QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, prompt}});
        object.insert(u"messages"_s, messages);
    } else if (object.contains(u"system"_s)) {
        return u"\"system\" goes with \"prompt\"; with \"messages\", add a system message"_s;
    }

    if (!object.contains(u"model"_s) && !defaults.model.isEmpty()) {
        object.insert(u"model"_s, defaults.model);
    }
    if (!object.contains(u"profile"_s)) {
        object.insert(u"profile"_s, defaults.profile);
    }
    const QString problem = ChatRequest::problemWith(object);
    if (!problem.isEmpty()) {
        return problem;
    }
    return object;
}

} // namespace

QString batchKey(const QJsonValue &id)
{
    if (id.isDouble()) {
        const double number = id.toDouble();
        if (std::floor(number) == number && std::abs(number) < 1e15) {
            return QString::number(qint64(number));
        }
        return QString::number(number, 'g', 17);
    }
    return id.toString();
}

QList<BatchItem> parseBatchInput(const QByteArray &jsonl, const BatchDefaults &defaults)
{
    QList<BatchItem> items;
    QHash<QString, int> lineOfKey;
    const QList<QByteArray> lines = jsonl.split('\n');
    for (qsizetype index = 0; index < lines.size(); ++index) {
        const QByteArray text = lines[index].trimmed();
        if (text.isEmpty()) {
            continue;
        }

        BatchItem item;
        item.line = int(index + 1);
        item.id = item.line;

        // The line itself: a JSON object with a usable id.
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(text, &parseError);
        const QJsonObject object = document.object();
        const QJsonValue id = object.value(u"id"_s);
        if (parseError.error != QJsonParseError::NoError) {
            item.problem = u"line %1 is not JSON: %2 at character %3"_s.arg(
                    QString::number(item.line),
                    parseError.errorString(),
                    QString::number(parseError.offset + 1));
        } else if (!document.isObject()) {
            item.problem = u"line %1 is not a JSON object"_s.arg(item.line);
        } else if (!id.isUndefined() && !id.isString() && !id.isDouble()) {
            item.problem = u"line %1: \"id\" is not a string or a number"_s.arg(item.line);
        } else if (id.isString() && id.toString().isEmpty()) {
            item.problem = u"line %1: \"id\" is empty"_s.arg(item.line);
        } else if (!id.isUndefined()) {
            item.id = id;
        }
        item.key = batchKey(item.id);

        // Ids name results: two lines with one id could not be told apart on resuming.
        if (item.problem.isEmpty() && lineOfKey.contains(item.key)) {
            item.problem = u"line %1: id \"%2\" is already used by line %3"_s.arg(
                    QString::number(item.line),
                    item.key,
                    QString::number(lineOfKey[item.key]));
        }
        if (item.problem.isEmpty()) {
            lineOfKey.insert(item.key, item.line);
            const auto request = requestObject(object, defaults);
            if (request) {
                item.request = ChatRequest::fromJson(request.value());
            } else {
                item.problem = u"line %1: %2"_s.arg(QString::number(item.line), request.error());
            }
        }
        items.append(item);
    }
    return items;
}
