#pragma once

#include "core/util/result.h"

#include <QFile>
#include <QHash>
#include <QJsonObject>
#include <QString>

// Where `chatq batch` writes its results: stdout, or a JSONL file that a later run resumes.
// Each result is one line written with one call and flushed at once, so a reader (or a run
// after a crash) never sees half a result.
class BatchOutput
{
public:
    // Writes to stdout; nothing to resume.
    BatchOutput() = default;

    // Opens `path` for appending, creating it when missing. What an earlier run left is read
    // first: a last line cut short by a crash is removed, and every id whose last result is
    // final is remembered (see finalResults()). The error is a message for stderr.
    Result<void, QString> open(const QString &path);

    // Ids (as batchKey() text) whose result needs no new run, and whether it succeeded:
    // "succeeded", or "failed" with an error a retry cannot help (auth, bad request…).
    const QHash<QString, bool> &finalResults() const { return m_final; }

    // Appends one result line. False when the file cannot be written (disk full…).
    bool write(const QJsonObject &result);

    QString errorString() const;

private:
    void remember(const QByteArray &line);

    QFile m_file;
    bool m_toFile = false;
    QHash<QString, bool> m_final;
};
