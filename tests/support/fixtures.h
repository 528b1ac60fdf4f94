#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// Recorded provider streams shipped under tests/fixtures/sse.
namespace fixtures {

QString sseDir();

// Names of every recorded stream (*.sse), sorted.
QStringList sseFiles();

// The bytes of one fixture file; empty when it is missing.
QByteArray read(const QString &fileName);

// The EXPECTED.json entry for one fixture file.
QJsonObject expected(const QString &fileName);

} // namespace fixtures
