#pragma once

#include "core/provider/providerprofile.h"

#include <QHash>
#include <QReadWriteLock>
#include <QString>
#include <QStringList>

#include <optional>

// The provider profiles this process's workers can serve, by name, with their keys.
// Thread-safe: the UI or the CLI fills it, worker threads read it.
class ProfileRegistry
{
public:
    void insert(const ProviderProfile &profile);
    void remove(const QString &name);
    std::optional<ProviderProfile> find(const QString &name) const;
    QStringList names() const;

private:
    mutable QReadWriteLock m_lock;
    QHash<QString, ProviderProfile> m_profiles;
};
