#include "tests/support/fixtures.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace fixtures {

QString sseDir()
{
    return QStringLiteral(CHATQUEUE_FIXTURES_DIR "/sse");
}

QStringList sseFiles()
{
    return QDir(sseDir()).entryList({u"*.sse"_s}, QDir::Files, QDir::Name);
}

QByteArray read(const QString &fileName)
{
    QFile file(sseDir() + u'/' + fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return file.readAll();
}

QJsonObject expected(const QString &fileName)
{
    static const QJsonObject all = QJsonDocument::fromJson(read(u"EXPECTED.json"_s)).object();
    return all.value(fileName).toObject();
}

} // namespace fixtures
