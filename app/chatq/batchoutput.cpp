#include "app/chatq/batchoutput.h"

#include "app/chatq/batchinput.h"
#include "app/chatq/consoleoutput.h"
#include "core/chat/chaterror.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

Result<void, QString> BatchOutput::open(const QString &path)
{
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        return u"cannot open %1: %2"_s.arg(path, m_file.errorString());
    }

    // A run killed in the middle of a write can leave a line without its newline: drop it,
    // so that the file stays JSONL and that request runs again.
    const QByteArray existing = m_file.readAll();
    const qsizetype complete = existing.lastIndexOf('\n') + 1;
    if (complete < existing.size() && !m_file.resize(complete)) {
        return u"cannot cut the unfinished last line of %1: %2"_s.arg(path, m_file.errorString());
    }
    for (const QByteArray &line : existing.left(complete).split('\n')) {
        remember(line);
    }

    if (!m_file.seek(complete)) {
        return u"cannot append to %1: %2"_s.arg(path, m_file.errorString());
    }
    m_toFile = true;
    return {};
}

void BatchOutput::remember(const QByteArray &line)
{
    const QJsonObject result = QJsonDocument::fromJson(line).object();
    if (result.isEmpty()) {
        return;
    }

    // The last line of an id decides: a later run appends, it never rewrites.
    const QString key = batchKey(result.value(u"id"_s));
    const QString status = result.value(u"status"_s).toString();
    const auto kind =
            errorKindFromName(result.value(u"error"_s).toObject().value(u"kind"_s).toString());
    if (status == u"succeeded"_s) {
        m_final.insert(key, true);
    } else if (status == u"failed"_s && kind && !isRetryableKind(*kind)) {
        m_final.insert(key, false);
    } else {
        m_final.remove(key);
    }
}

bool BatchOutput::write(const QJsonObject &result)
{
    const QByteArray line = QJsonDocument(result).toJson(QJsonDocument::Compact) + '\n';
    if (!m_toFile) {
        console::out(QString::fromUtf8(line));
        return true;
    }
    return m_file.write(line) == line.size();
}

QString BatchOutput::errorString() const
{
    return m_file.errorString();
}
