#pragma once

#include "core/provider/providerprofile.h"
#include "core/util/result.h"

#include <QList>
#include <QString>

// A worker's profiles, read from a JSON file that names where each key lives but never holds
// a key itself (see docs/profiles.md):
//
//     {"profiles": [{"name": "deepseek", "base_url": "https://api.deepseek.com/v1",
//                    "api_key_env": "DEEPSEEK_API_KEY", "max_concurrent": 2,
//                    "max_per_minute": 60, "proxy": "socks5://user@127.0.0.1:1080",
//                    "proxy_password_env": "PROXY_PASSWORD"}]}
struct ProfileEntry
{
    ProviderProfile profile; // apiKey still empty: resolved from the two fields below
    QString apiKeyEnv;       // environment variable holding the key
    QString apiKeyKeychain;  // keychain account holding the key
};

// Reads and checks a profiles file. Errors name the file and the offending entry. A proxy
// password is read from the environment variable the entry names, at once.
Result<QList<ProfileEntry>, QString> readProfilesFile(const QString &path);

// Parses the file's JSON text; `source` names it in error messages.
Result<QList<ProfileEntry>, QString> parseProfiles(const QByteArray &json, const QString &source);
