#pragma once

#include "core/util/result.h"

#include <QCoroTask>

#include <QHash>
#include <QObject>
#include <QString>

#include <chrono>

struct SecretError
{
    enum class Kind {
        AccessDenied, // the user or the system refused access to the keychain
        Failed,       // the keychain answered with another error
    };

    Kind kind = Kind::Failed;
    QString message;
};

// API keys and other secrets, by account name. They go to the operating system's keychain
// through QtKeychain (Secret Service on Linux, Credential Manager on Windows, Keychain on
// macOS). Where no keychain runs — no session bus, no Secret Service — a secret is kept in
// this process's memory for the session only, storage() says so, and the user must be told
// that it will not be saved. A secret is never written in plain text anywhere.
//
// Every call is asynchronous and never blocks the thread; use it from one thread.
class SecretStore : public QObject
{
    Q_OBJECT

public:
    enum class Storage {
        Keychain,    // secrets outlive the process
        SessionOnly, // secrets are kept in memory and lost when the process ends
    };

    enum class Mode {
        SystemKeychain, // the keychain, falling back to the session when it does not run
        SessionOnly,    // never touch the keychain (tests, a user who declines it)
    };

    explicit SecretStore(QString service,
                         Mode mode = Mode::SystemKeychain,
                         QObject *parent = nullptr);
    ~SecretStore() override;

    Storage storage() const;

    // Where secrets are kept, in words for the settings screen.
    QString storageDescription() const;

    // Why the keychain stopped being used (its own error text); empty while it is used or
    // when SessionOnly was chosen.
    QString fallbackReason() const;

    // The secret stored for `account`; an empty string when there is none.
    QCoro::Task<Result<QString, SecretError>> read(QString account);

    // Stores `secret`, replacing an earlier one. Falls back to the session when the keychain
    // does not run; fails only when the keychain runs and refuses.
    QCoro::Task<Result<void, SecretError>> write(QString account, QString secret);

    // Forgets the secret; succeeds when there was none.
    QCoro::Task<Result<void, SecretError>> remove(QString account);

    // How long one keychain call may take before the keychain counts as absent. A Secret
    // Service that does not answer would otherwise hold a read for the D-Bus timeout.
    void setKeychainTimeout(std::chrono::milliseconds timeout);

Q_SIGNALS:
    void storageChanged(SecretStore::Storage storage);

private:
    void fallBackToSession(const QString &reason);

    QString m_service;
    Storage m_storage = Storage::Keychain;
    QString m_fallbackReason;
    QHash<QString, QString> m_sessionSecrets;
    std::chrono::milliseconds m_keychainTimeout{std::chrono::seconds(10)};
};
