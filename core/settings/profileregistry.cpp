#include "core/settings/profileregistry.h"

void ProfileRegistry::insert(const ProviderProfile &profile)
{
    QWriteLocker locker(&m_lock);
    m_profiles.insert(profile.name, profile);
}

void ProfileRegistry::remove(const QString &name)
{
    QWriteLocker locker(&m_lock);
    m_profiles.remove(name);
}

std::optional<ProviderProfile> ProfileRegistry::find(const QString &name) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_profiles.constFind(name);
    if (it == m_profiles.constEnd()) {
        return std::nullopt;
    }
    return *it;
}

QStringList ProfileRegistry::names() const
{
    QReadLocker locker(&m_lock);
    return m_profiles.keys();
}
