#pragma once

// The chat window with real widgets, the in-process queue persisted in a temporary folder,
// a history file there, a worker pool and the fake provider on loopback.

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/secretstore.h"
#include "core/store/historystore.h"
#include "core/worker/workerpool.h"
#include "ui/chat/chatwindow.h"
#include "ui/chat/composer.h"
#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/settings/providersettingspanel.h"

#include <gtest/gtest.h>

#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

#include "tests/support/fakeprovider.h"
#include "tests/ui/uitesthelpers.h"

class ChatWindowFixture : public ::testing::Test
{
protected:
    void SetUp() override
    {
        using namespace Qt::StringLiterals;
        ASSERT_TRUE(m_dataDir.isValid());
        openBackend();
        m_profiles = std::make_shared<ProfileRegistry>();
        m_settings = std::make_unique<AppSettings>(m_dataDir.filePath(u"settings.ini"_s));
        m_secrets =
                std::make_unique<SecretStore>(u"ChatQueueTests"_s, SecretStore::Mode::SessionOnly);
        auto store = HistoryStore::open(m_dataDir.filePath(u"history.sqlite"_s));
        ASSERT_TRUE(store.ok()) << qPrintable(store.error());
        m_store = std::move(store).value();
    }

    void TearDown() override
    {
        m_pool.reset();
        m_window.reset();
    }

    void openBackend()
    {
        using namespace Qt::StringLiterals;
        auto backend = openQueueBackend(u"memory"_s, m_dataDir.path());
        ASSERT_TRUE(backend.ok()) << qPrintable(backend.error().message);
        m_backend = *backend;
    }

    // Opens the window on the fake provider with `systemPrompt`, and starts the workers.
    void openWindow(const QString &systemPrompt = {})
    {
        using namespace Qt::StringLiterals;
        ProviderSettings provider;
        provider.baseUrl = m_provider.baseUrl();
        provider.model = u"fake-model"_s;
        provider.systemPrompt = systemPrompt;
        m_settings->setProvider(provider);

        m_window = std::make_unique<ChatWindow>(m_backend,
                                                m_profiles,
                                                m_settings.get(),
                                                m_secrets.get(),
                                                m_store.get());
        if (m_settings->windowGeometry().isEmpty()) {
            m_window->resize(1000, 700);
        }
        m_window->show();
        QObject::connect(m_window.get(),
                         &ChatWindow::jobFinished,
                         m_window.get(),
                         [this](const JobRecord &record) {
                             m_finished = record;
                             ++m_finishedCount;
                         });
        ASSERT_TRUE(
                QTest::qWaitFor([this] { return m_window->settingsPanel()->isReady(); }, kWaitMs));

        m_pool = std::make_unique<WorkerPool>(m_backend, m_profiles);
        m_pool->start();
    }

    void sendPrompt(const QString &prompt)
    {
        m_window->composer()->setPlainText(prompt);
        m_window->sendButton()->click();
    }

    // Sends `prompt` and waits for its answer to end.
    bool ask(const QString &prompt)
    {
        m_finished.reset();
        sendPrompt(prompt);
        return waitForFinished();
    }

    MessageWidget *lastMessage() const
    {
        const QList<MessageWidget *> messages = m_window->conversation()->messages();
        return messages.isEmpty() ? nullptr : messages.last();
    }

    MessageWidget *message(int index) const
    {
        const QList<MessageWidget *> messages = m_window->conversation()->messages();
        return index < messages.size() ? messages.at(index) : nullptr;
    }

    QString answerText() const
    {
        MessageWidget *message = lastMessage();
        return message ? message->answerText() : QString();
    }

    bool waitForFinished()
    {
        return QTest::qWaitFor([this] { return m_finished.has_value(); }, kWaitMs);
    }

    JobRecord storedRecord(const QString &jobId)
    {
        std::unique_ptr<JobQueue> queue = m_backend->connect();
        auto record = awaitTask(queue->record(jobId));
        EXPECT_TRUE(record.ok());
        return record.ok() ? *record : JobRecord{};
    }

    QTemporaryDir m_dataDir;
    FakeProvider m_provider;
    std::shared_ptr<QueueBackend> m_backend;
    std::shared_ptr<ProfileRegistry> m_profiles;
    std::unique_ptr<AppSettings> m_settings;
    std::unique_ptr<SecretStore> m_secrets;
    std::unique_ptr<HistoryStore> m_store;
    std::unique_ptr<ChatWindow> m_window;
    std::unique_ptr<WorkerPool> m_pool;
    std::optional<JobRecord> m_finished;
    int m_finishedCount = 0;
};
