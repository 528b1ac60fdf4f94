// Settings and secrets: the key never lands in the settings file, and where no keychain
// runs it is kept for the session with the user told so.

#include "core/settings/secretstore.h"

#include "core/settings/appsettings.h"

#include <gtest/gtest.h>

#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;

namespace {

// True when any file under `folder` holds `needle`.
bool anyFileContains(const QString &folder, const QByteArray &needle)
{
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle)) {
            return true;
        }
    }
    return false;
}

} // namespace

TEST(AppSettings, KeepsProviderSettingsAcrossInstances)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    ProviderSettings provider;
    provider.baseUrl = QUrl(u"http://127.0.0.1:11434/v1"_s);
    provider.model = u"qwen2.5"_s;
    provider.systemPrompt = u"你是人工智能助手"_s;

    AppSettings(dir.filePath(u"settings.ini"_s)).setProvider(provider);
    const ProviderSettings read = AppSettings(dir.filePath(u"settings.ini"_s)).provider();

    EXPECT_EQ(read, provider);
}

TEST(SecretStore, SessionOnlyModeKeepsTheSecretInMemory)
{
    SecretStore store(u"ChatQueueTests"_s, SecretStore::Mode::SessionOnly);

    const auto written = awaitTask(store.write(u"profile/default/api-key"_s, u"k-1"_s));
    const auto read = awaitTask(store.read(u"profile/default/api-key"_s));
    const auto missing = awaitTask(store.read(u"profile/other/api-key"_s));

    EXPECT_TRUE(written.ok());
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(*read, u"k-1"_s);
    ASSERT_TRUE(missing.ok());
    EXPECT_TRUE(missing->isEmpty());
    EXPECT_EQ(store.storage(), SecretStore::Storage::SessionOnly);
    EXPECT_TRUE(store.storageDescription().contains(u"session"_s));
}

TEST(SecretStore, FallsBackToTheSessionWhereNoKeychainRunsAndWritesNothing)
{
    // A session bus address that leads nowhere: the Secret Service cannot be reached.
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + dir.filePath(u"no-bus"_s).toUtf8());
    const QByteArray secret = "sk-chatqueue-test-secret-0123456789";
    SecretStore store(u"ChatQueueTests"_s);
    store.setKeychainTimeout(std::chrono::seconds(20));
    QSignalSpy changed(&store, &SecretStore::storageChanged);
    AppSettings settings(dir.filePath(u"settings.ini"_s));
    settings.setProvider(ProviderSettings{});
    settings.sync();

    const auto written =
            awaitTask(store.write(u"profile/default/api-key"_s, QString::fromUtf8(secret)));
    const auto read = awaitTask(store.read(u"profile/default/api-key"_s));

    EXPECT_TRUE(written.ok());
    ASSERT_TRUE(read.ok());
    EXPECT_EQ(read->toUtf8(), secret);
    EXPECT_EQ(store.storage(), SecretStore::Storage::SessionOnly);
    EXPECT_EQ(changed.count(), 1);
    EXPECT_FALSE(store.fallbackReason().isEmpty());
    EXPECT_TRUE(store.storageDescription().contains(u"not be saved"_s));
    EXPECT_FALSE(anyFileContains(dir.path(), secret));
    EXPECT_FALSE(
            anyFileContains(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
                            secret));
    EXPECT_FALSE(
            anyFileContains(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation),
                            secret));
}
