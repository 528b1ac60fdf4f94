#pragma once

#include "core/chat/chatrequest.h"
#include "core/provider/providerprofile.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

// What `chatq ask` was asked to do, checked and complete.
struct AskOptions
{
    QString queueUrl;        // "memory" or a redis URL
    ProviderProfile profile; // used by the in-process worker; its key comes from the env
    ChatRequest request;
    bool printReasoning = false;
    bool printJson = false;
    bool endpointGiven = false; // --base-url or --api-key-env was on the command line
};

// Parses the arguments that follow `ask`. On failure the error is a message for stderr
// (exit status 2); `--help` yields an error holding the help text and `helpRequested`.
struct AskUsageError
{
    QString message;
    bool helpRequested = false;
};

Result<AskOptions, AskUsageError> parseAskOptions(const QStringList &arguments);
