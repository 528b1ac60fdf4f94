#include "core/settings/secretstore.h"

#include <qcorosignal.h>

#include <QLoggingCategory>
#include <QPointer>
#include <qt6keychain/keychain.h>

#include <memory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcSecrets, "chatqueue.secrets")

namespace {

// Outcome of one keychain job: the keychain's own error, and its text data for reads.
struct KeychainOutcome
{
    bool timedOut = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorText;
    QString data;
};

// Errors that mean "there is no keychain here", as opposed to "the keychain said no".
// QtKeychain reports a missing session bus or Secret Service as OtherError on Linux.
bool meansNoKeychain(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
           || error == QKeychain::OtherError;
}

// Runs one job to its end. The job is owned here until it finishes; when it outlives the
// timeout it is left to delete itself, since a backend may still call into it.
QCoro::Task<KeychainOutcome> runJob(QKeychain::Job *rawJob, std::chrono::milliseconds timeout)
{
    rawJob->setAutoDelete(false);
    rawJob->setInsecureFallback(false);
    std::unique_ptr<QKeychain::Job> job(rawJob);

    auto finished = qCoro(job.get(), &QKeychain::Job::finished, timeout);
    job->start();
    const auto result = co_await std::move(finished);

    KeychainOutcome outcome;
    if (!result) {
        QKeychain::Job *orphan = job.release();
        QObject::connect(orphan, &QKeychain::Job::finished, orphan, &QObject::deleteLater);
        outcome.timedOut = true;
        outcome.error = QKeychain::OtherError;
        outcome.errorText = SecretStore::tr("The keychain did not answer.");
        co_return outcome;
    }

    outcome.error = job->error();
    outcome.errorText = job->errorString();
    if (auto *readJob = qobject_cast<QKeychain::ReadPasswordJob *>(job.get())) {
        outcome.data = readJob->textData();
    }
    co_return outcome;
}

SecretError toSecretError(const KeychainOutcome &outcome)
{
    const bool denied = outcome.error == QKeychain::AccessDenied
                        || outcome.error == QKeychain::AccessDeniedByUser;
    return SecretError{denied ? SecretError::Kind::AccessDenied : SecretError::Kind::Failed,
                       outcome.errorText};
}

} // namespace

SecretStore::SecretStore(QString service, Mode mode, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
    , m_storage(mode == Mode::SessionOnly ? Storage::SessionOnly : Storage::Keychain)
{}

SecretStore::~SecretStore() = default;

SecretStore::Storage SecretStore::storage() const
{
    return m_storage;
}

QString SecretStore::storageDescription() const
{
    if (m_storage == Storage::SessionOnly) {
        return tr("Kept in memory for this session only: it will not be saved.");
    }
#if defined(Q_OS_WIN)
    return tr("Saved in Windows Credential Manager.");
#elif defined(Q_OS_MACOS)
    return tr("Saved in the macOS Keychain.");
#else
    return tr("Saved in the system keychain (Secret Service).");
#endif
}

QString SecretStore::fallbackReason() const
{
    return m_fallbackReason;
}

void SecretStore::setKeychainTimeout(std::chrono::milliseconds timeout)
{
    m_keychainTimeout = timeout;
}

QCoro::Task<Result<QString, SecretError>> SecretStore::read(QString account)
{
    if (m_storage == Storage::SessionOnly) {
        co_return m_sessionSecrets.value(account);
    }

    QPointer<SecretStore> self(this);
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(account);
    const KeychainOutcome outcome = co_await runJob(job, m_keychainTimeout);
    if (!self) {
        co_return SecretError{SecretError::Kind::Failed, tr("The secret store was closed.")};
    }

    if (outcome.error == QKeychain::NoError) {
        co_return outcome.data;
    }
    if (outcome.error == QKeychain::EntryNotFound) {
        co_return QString();
    }
    if (meansNoKeychain(outcome.error)) {
        fallBackToSession(outcome.errorText);
        co_return m_sessionSecrets.value(account);
    }
    co_return toSecretError(outcome);
}

QCoro::Task<Result<void, SecretError>> SecretStore::write(QString account, QString secret)
{
    if (m_storage == Storage::SessionOnly) {
        m_sessionSecrets.insert(account, secret);
        co_return Result<void, SecretError>();
    }

    QPointer<SecretStore> self(this);
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(account);
    job->setTextData(secret);
    const KeychainOutcome outcome = co_await runJob(job, m_keychainTimeout);
    if (!self) {
        co_return SecretError{SecretError::Kind::Failed, tr("The secret store was closed.")};
    }

    if (outcome.error == QKeychain::NoError) {
        co_return Result<void, SecretError>();
    }
    if (meansNoKeychain(outcome.error)) {
        fallBackToSession(outcome.errorText);
        m_sessionSecrets.insert(account, secret);
        co_return Result<void, SecretError>();
    }
    co_return toSecretError(outcome);
}

QCoro::Task<Result<void, SecretError>> SecretStore::remove(QString account)
{
    m_sessionSecrets.remove(account);
    if (m_storage == Storage::SessionOnly) {
        co_return Result<void, SecretError>();
    }

    QPointer<SecretStore> self(this);
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(account);
    const KeychainOutcome outcome = co_await runJob(job, m_keychainTimeout);
    if (!self) {
        co_return SecretError{SecretError::Kind::Failed, tr("The secret store was closed.")};
    }

    if (outcome.error == QKeychain::NoError || outcome.error == QKeychain::EntryNotFound) {
        co_return Result<void, SecretError>();
    }
    if (meansNoKeychain(outcome.error)) {
        fallBackToSession(outcome.errorText);
        co_return Result<void, SecretError>();
    }
    co_return toSecretError(outcome);
}

void SecretStore::fallBackToSession(const QString &reason)
{
    if (m_storage == Storage::SessionOnly) {
        return;
    }

    // The keychain's error text names the missing service; it never contains the secret.
    qCWarning(lcSecrets) << "no keychain available, keeping secrets for this session only:"
                         << reason;
    m_storage = Storage::SessionOnly;
    m_fallbackReason = reason;
    Q_EMIT storageChanged(m_storage);
}
