#include "logfile.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QMutex>
#include <QRegularExpression>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

struct LogState
{
    QMutex mutex;
    QFile file;
    QString folder;
    std::int64_t maxBytes = 0;
    int keep = 0;
    QtMessageHandler previous = nullptr;
};

LogState &state()
{
    static LogState instance;
    return instance;
}

QString fileName(const QString &folder, int generation)
{
    const QString base = folder + u"/chatqueue.log"_s;
    return generation == 0 ? base : base + u'.' + QString::number(generation);
}

// Moves chatqueue.log to .1, .1 to .2 and so on, dropping the oldest. Caller holds the mutex.
void rotate(LogState &log)
{
    log.file.close();
    QFile::remove(fileName(log.folder, log.keep));
    for (int generation = log.keep - 1; generation >= 0; --generation) {
        QFile::rename(fileName(log.folder, generation), fileName(log.folder, generation + 1));
    }
    log.file.setFileName(fileName(log.folder, 0));
    log.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text);
}

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "critical";
    case QtFatalMsg:
        return "fatal";
    }
    return "?";
}

void handleMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    LogState &log = state();
    const QString text = LogFile::redact(message);
    const QString line = QDateTime::currentDateTime().toString(Qt::ISODateWithMs) + u' '
                         + QLatin1StringView(levelName(type)) + u' '
                         + QLatin1StringView(context.category ? context.category : "default")
                         + u": "_s + text + u'\n';
    const QByteArray bytes = line.toUtf8();

    {
        QMutexLocker locker(&log.mutex);
        if (log.file.isOpen()) {
            if (log.file.size() + bytes.size() > log.maxBytes) {
                rotate(log);
            }
            log.file.write(bytes);
            log.file.flush();
        }
    }

    std::fputs(bytes.constData(), stderr);
    if (type == QtFatalMsg && log.previous) {
        log.previous(type, context, text);
    }
}

} // namespace

namespace LogFile {

bool install(const QString &folder, std::int64_t maxBytes, int keep)
{
    LogState &log = state();
    QMutexLocker locker(&log.mutex);
    if (!QDir().mkpath(folder)) {
        return false;
    }

    log.folder = folder;
    log.maxBytes = maxBytes;
    log.keep = keep;
    log.file.setFileName(fileName(folder, 0));
    if (!log.file.open(QIODevice::WriteOnly | QIODevice::Append | QIODevice::Text)) {
        return false;
    }
    if (log.file.size() > maxBytes) {
        rotate(log);
    }
    log.previous = qInstallMessageHandler(handleMessage);
    return true;
}

QString path()
{
    LogState &log = state();
    QMutexLocker locker(&log.mutex);
    return log.file.isOpen() ? log.file.fileName() : QString();
}

QString redact(const QString &text)
{
    static const QRegularExpression bearer(u"(Bearer\\s+)\\S+"_s,
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression apiKey(u"\\b(sk|ak|api)-[A-Za-z0-9_\\-]{8,}"_s);

    QString result = text;
    result.replace(bearer, u"\\1[redacted]"_s);
    result.replace(apiKey, u"[redacted]"_s);
    return result;
}

} // namespace LogFile
