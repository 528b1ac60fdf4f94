#pragma once

#include "core/provider/providerprofile.h"
#include "core/util/result.h"

#include <QString>

class QCommandLineParser;

// The provider endpoint used when no --base-url and no $OPENAI_BASE_URL name one.
QString defaultBaseUrl();

// The profile of an in-process worker as the commands' options give it, as `ask` makes it:
// --profile, --base-url (else $OPENAI_BASE_URL, else defaultBaseUrl()) and the key held by
// the variable --api-key-env names. An error names a base URL that is not http(s).
Result<ProviderProfile, QString> profileFromOptions(const QCommandLineParser &parser);
