// The provider settings panel with real widgets offscreen, a session-only secret store and
// the fake provider on loopback: editing profiles, Fetch models, Test connection with the
// provider's own error text, the profile's proxy on the panel's calls, and what apply()
// stores where.

#include "ui/settings/providersettingspanel.h"

#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/secretstore.h"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/fakeprovider.h"
#include "tests/support/socks5proxy.h"
#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;

namespace {

class ProviderSettingsPanelTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        m_settings = std::make_unique<AppSettings>(settingsPath());
        m_secrets =
                std::make_unique<SecretStore>(u"ChatQueueTests"_s, SecretStore::Mode::SessionOnly);
    }

    QString settingsPath() const { return m_dir.filePath(u"settings.ini"_s); }

    // A stored profile named "fake" on the fake provider, selected.
    void storeFakeProfile(const ProxySettings &proxy = {})
    {
        ProfileSettings profile;
        profile.name = u"fake"_s;
        profile.baseUrl = m_provider.baseUrl();
        profile.models = {u"fake-model"_s};
        profile.defaultModel = u"fake-model"_s;
        profile.proxy = proxy;
        profile.proxy.password.clear();
        m_settings->setProfiles({profile});
        m_settings->setCurrentProfile(profile.name);
        m_settings->sync();
    }

    void openPanel()
    {
        m_panel = std::make_unique<ProviderSettingsPanel>(m_settings.get(),
                                                          m_secrets.get(),
                                                          m_profiles);
        m_panel->resize(520, 900);
        m_panel->show();
        ASSERT_TRUE(QTest::qWaitFor([this] { return m_panel->isReady(); }, kWaitMs));
    }

    QStringList listedModels() const
    {
        QStringList models;
        for (int i = 0; i < m_panel->modelList()->count(); ++i) {
            models.append(m_panel->modelList()->item(i)->text());
        }
        return models;
    }

    QByteArray settingsFileText()
    {
        m_settings->sync();
        QFile file(settingsPath());
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

    QTemporaryDir m_dir;
    FakeProvider m_provider;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::shared_ptr<ProfileRegistry> m_profiles = std::make_shared<ProfileRegistry>();
    std::unique_ptr<ProviderSettingsPanel> m_panel;
};

} // namespace

TEST_F(ProviderSettingsPanelTest, TestConnectionShowsTheProvidersOwnErrorText)
{
    storeFakeProfile();
    m_provider.enqueue(FakeProvider::Scenario::error(
            401,
            u"Incorrect API key provided: sk-wrong. You can find your key online."_s));
    openPanel();
    QSignalSpy tested(m_panel.get(), &ProviderSettingsPanel::connectionTested);
    m_panel->apiKeyEdit()->setText(u"sk-wrong"_s);

    m_panel->testConnectionButton()->click();
    ASSERT_TRUE(tested.wait(kWaitMs));
    QCoreApplication::processEvents(); // lays the wrapped message out for the screenshot
    m_panel->grab().save(artifactPath(u"providersettings-401.png"_s));

    EXPECT_FALSE(tested.first().at(0).toBool());
    EXPECT_TRUE(m_panel->connectionLabel()->text().contains(
            u"Incorrect API key provided: sk-wrong."_s));
    EXPECT_TRUE(m_panel->connectionLabel()->text().contains(u"401"_s));
    ASSERT_EQ(m_provider.requestCount(), 1);
    EXPECT_EQ(m_provider.requests().first().header("authorization"), "Bearer sk-wrong");
    EXPECT_TRUE(m_panel->testConnectionButton()->isEnabled());
}

TEST_F(ProviderSettingsPanelTest, TestConnectionReportsTheModelsOnSuccess)
{
    storeFakeProfile();
    m_provider.setModels({u"a-1"_s, u"b-2"_s, u"c-3"_s});
    openPanel();
    QSignalSpy tested(m_panel.get(), &ProviderSettingsPanel::connectionTested);

    m_panel->testConnectionButton()->click();
    const bool pendingAfterClick = tested.isEmpty();
    ASSERT_TRUE(tested.wait(kWaitMs));

    EXPECT_TRUE(pendingAfterClick);
    EXPECT_TRUE(tested.first().at(0).toBool());
    EXPECT_TRUE(m_panel->connectionLabel()->text().contains(u"models listed: 3"_s))
            << qPrintable(m_panel->connectionLabel()->text());
    EXPECT_EQ(m_provider.requests().first().path, u"/v1/models"_s);
}

TEST_F(ProviderSettingsPanelTest, TestConnectionAsksForOneTokenWhereNoModelListExists)
{
    ProfileSettings ark;
    ark.name = u"ark"_s;
    ark.presetId = u"volcengine-ark"_s;
    ark.baseUrl = m_provider.baseUrl();
    ark.defaultModel = u"doubao-test"_s;
    m_settings->setProfiles({ark});
    m_settings->sync();
    m_provider.setDefaultScenario(FakeProvider::contentScenario(u"Hi"_s));
    openPanel();
    QSignalSpy tested(m_panel.get(), &ProviderSettingsPanel::connectionTested);

    m_panel->testConnectionButton()->click();
    ASSERT_TRUE(tested.wait(kWaitMs));

    EXPECT_TRUE(tested.first().at(0).toBool()) << qPrintable(m_panel->connectionLabel()->text());
    ASSERT_EQ(m_provider.requestCount(), 1);
    const FakeProvider::Request request = m_provider.requests().first();
    EXPECT_EQ(request.path, u"/v1/chat/completions"_s);
    EXPECT_EQ(request.json.value(u"model"_s).toString(), u"doubao-test"_s);
    EXPECT_EQ(request.json.value(u"max_tokens"_s).toInt(), 1);
}

TEST_F(ProviderSettingsPanelTest, FetchModelsFillsTheListAndApplyOffersThem)
{
    storeFakeProfile();
    m_provider.setModels({u"zeta-large"_s, u"alpha-small"_s});
    openPanel();
    QSignalSpy fetched(m_panel.get(), &ProviderSettingsPanel::modelsFetched);
    QSignalSpy changed(m_panel.get(), &ProviderSettingsPanel::profilesChanged);

    m_panel->fetchModelsButton()->click();
    ASSERT_TRUE(fetched.wait(kWaitMs));
    const QStringList listed = listedModels();
    const bool unapplied = m_panel->hasUnappliedChanges();
    const bool stored = awaitTask(m_panel->apply());

    EXPECT_TRUE(fetched.first().at(0).toBool());
    EXPECT_EQ(listed, (QStringList{u"fake-model"_s, u"alpha-small"_s, u"zeta-large"_s}));
    EXPECT_TRUE(unapplied);
    EXPECT_TRUE(stored);
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(m_panel->modelsFor(u"fake"_s),
              (QStringList{u"fake-model"_s, u"alpha-small"_s, u"zeta-large"_s}));
    EXPECT_EQ(m_panel->defaultModelFor(u"fake"_s), u"fake-model"_s);
    EXPECT_EQ(AppSettings(settingsPath()).profiles().first().models, listed);
}

TEST_F(ProviderSettingsPanelTest, FetchModelsShowsTheProvidersErrorText)
{
    storeFakeProfile();
    m_provider.enqueue(FakeProvider::Scenario::error(403, u"Project has no access to models"_s));
    openPanel();
    QSignalSpy fetched(m_panel.get(), &ProviderSettingsPanel::modelsFetched);

    m_panel->fetchModelsButton()->click();
    ASSERT_TRUE(fetched.wait(kWaitMs));

    EXPECT_FALSE(fetched.first().at(0).toBool());
    EXPECT_TRUE(m_panel->connectionLabel()->text().contains(u"Project has no access to models"_s));
    EXPECT_EQ(listedModels(), QStringList{u"fake-model"_s});
}

TEST_F(ProviderSettingsPanelTest, ThePanelsCallsUseTheProfilesProxy)
{
    Socks5Proxy proxy(u"panel-user"_s, u"panel-pass"_s);
    storeFakeProfile(ProxySettings{ProxySettings::Type::Socks5,
                                   u"127.0.0.1"_s,
                                   proxy.port(),
                                   u"panel-user"_s,
                                   {}});
    ASSERT_TRUE(awaitTask(m_secrets->write(proxyPasswordAccount(u"fake"_s), u"panel-pass"_s)).ok());
    openPanel();
    QSignalSpy tested(m_panel.get(), &ProviderSettingsPanel::connectionTested);

    m_panel->testConnectionButton()->click();
    ASSERT_TRUE(tested.wait(kWaitMs));

    EXPECT_TRUE(tested.first().at(0).toBool()) << qPrintable(m_panel->connectionLabel()->text());
    EXPECT_EQ(proxy.tunnelCount(), 1);
    EXPECT_EQ(proxy.refusedLogins(), 0);
    EXPECT_EQ(m_profiles->find(u"fake"_s)->proxy.password, u"panel-pass"_s);
    EXPECT_FALSE(settingsFileText().contains("panel-pass"));
}

TEST_F(ProviderSettingsPanelTest, ProfilesAreAddedRenamedDuplicatedRemovedAndApplied)
{
    storeFakeProfile();
    openPanel();
    QSignalSpy changed(m_panel.get(), &ProviderSettingsPanel::profilesChanged);
    const QByteArray key = "sk-deepseek-panel-test-0123";

    const QString added = m_panel->addProfile(u"deepseek"_s);
    const QString presetUrl = m_panel->baseUrlEdit()->text();
    const QString presetModel = m_panel->modelEdit()->text();
    m_panel->apiKeyEdit()->setText(QString::fromUtf8(key));
    m_panel->sendReasoningBox()->setChecked(true);
    const bool renamed = m_panel->renameProfile(u"ds"_s);
    const bool renamedToTaken = m_panel->renameProfile(u"fake"_s);
    m_panel->duplicateProfile();
    const QString duplicate = m_panel->currentSettings().profile;
    const bool removed = m_panel->removeProfile();
    const bool stored = awaitTask(m_panel->apply());
    const auto storedKey = awaitTask(m_secrets->read(apiKeyAccount(u"ds"_s)));
    const auto duplicateKey = awaitTask(m_secrets->read(apiKeyAccount(duplicate)));

    EXPECT_EQ(added, u"deepseek"_s);
    EXPECT_EQ(presetUrl, u"https://api.deepseek.com/v1"_s);
    EXPECT_EQ(presetModel, u"deepseek-chat"_s);
    EXPECT_TRUE(renamed);
    EXPECT_FALSE(renamedToTaken);
    EXPECT_EQ(duplicate, u"ds-copy"_s);
    EXPECT_TRUE(removed);
    EXPECT_TRUE(stored);
    EXPECT_EQ(m_panel->profileNames(), (QStringList{u"fake"_s, u"ds"_s}));
    EXPECT_EQ(changed.count(), 1);
    EXPECT_EQ(m_panel->currentSettings().profile, u"ds"_s);
    EXPECT_EQ(m_settings->currentProfile(), u"ds"_s);
    ASSERT_EQ(m_settings->profiles().size(), 2);
    EXPECT_TRUE(m_settings->profiles().at(1).sendReasoning);
    EXPECT_EQ(m_settings->profiles().at(1).presetId, u"deepseek"_s);
    ASSERT_TRUE(m_profiles->find(u"ds"_s).has_value());
    EXPECT_EQ(m_profiles->find(u"ds"_s)->apiKey.toUtf8(), key);
    EXPECT_TRUE(m_profiles->find(u"ds"_s)->sendReasoning);
    EXPECT_FALSE(m_profiles->find(duplicate).has_value());
    ASSERT_TRUE(storedKey.ok());
    EXPECT_EQ(storedKey->toUtf8(), key);
    ASSERT_TRUE(duplicateKey.ok());
    EXPECT_TRUE(duplicateKey->isEmpty());
    EXPECT_FALSE(settingsFileText().contains(key));
    EXPECT_FALSE(m_panel->hasUnappliedChanges());
}

TEST_F(ProviderSettingsPanelTest, ARenamedProfileTakesItsKeyAlong)
{
    storeFakeProfile();
    ASSERT_TRUE(awaitTask(m_secrets->write(apiKeyAccount(u"fake"_s), u"sk-old-name"_s)).ok());
    openPanel();

    const bool renamed = m_panel->renameProfile(u"renamed"_s);
    const bool stored = awaitTask(m_panel->apply());
    const auto newKey = awaitTask(m_secrets->read(apiKeyAccount(u"renamed"_s)));
    const auto oldKey = awaitTask(m_secrets->read(apiKeyAccount(u"fake"_s)));

    EXPECT_TRUE(renamed);
    EXPECT_TRUE(stored);
    ASSERT_TRUE(newKey.ok());
    EXPECT_EQ(*newKey, u"sk-old-name"_s);
    ASSERT_TRUE(oldKey.ok());
    EXPECT_TRUE(oldKey->isEmpty());
    EXPECT_FALSE(m_profiles->find(u"fake"_s).has_value());
    EXPECT_EQ(m_profiles->find(u"renamed"_s)->apiKey, u"sk-old-name"_s);
}

TEST_F(ProviderSettingsPanelTest, AnInvalidBaseUrlIsRefused)
{
    storeFakeProfile();
    openPanel();
    QSignalSpy applied(m_panel.get(), &ProviderSettingsPanel::applied);

    m_panel->baseUrlEdit()->setText(u"not a url"_s);
    const bool stored = awaitTask(m_panel->apply());

    EXPECT_FALSE(stored);
    ASSERT_EQ(applied.count(), 1);
    EXPECT_FALSE(applied.first().at(0).toBool());
    EXPECT_EQ(AppSettings(settingsPath()).profiles().first().baseUrl, m_provider.baseUrl());
}

TEST_F(ProviderSettingsPanelTest, EditingANameInTheListRenamesOrRefuses)
{
    storeFakeProfile();
    openPanel();
    m_panel->addProfile(u"ollama"_s);
    QListWidgetItem *added = m_panel->profileList()->item(1);

    added->setText(u"local"_s);
    const QString afterRename = m_panel->currentSettings().profile;
    added->setText(u"fake"_s);
    const QString afterTakenName = added->text();

    EXPECT_EQ(afterRename, u"local"_s);
    EXPECT_EQ(afterTakenName, u"local"_s);
    EXPECT_EQ(m_panel->currentSettings().profile, u"local"_s);
    EXPECT_EQ(m_panel->baseUrlEdit()->text(), u"http://localhost:11434/v1"_s);
    EXPECT_TRUE(m_panel->hasUnappliedChanges());
}
