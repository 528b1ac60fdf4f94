#pragma once

#include "core/chat/chaterror.h"
#include "core/chat/chatreply.h"
#include "core/chat/chatrequest.h"
#include "core/provider/providerprofile.h"

#include <QCoroTask>
#include <QObject>

#include <optional>

class QNetworkAccessManager;

// How a streamed request ended: the reply assembled so far (kept even on failure) and the
// error, if any. `attempts` counts HTTP requests made, retries included.
struct StreamOutcome
{
    ChatReply reply;
    std::optional<ChatError> error;
    int attempts = 0;
};

// One chat request streamed from an OpenAI-compatible endpoint, with timeouts, retries
// before the first token, and cancellation. Lives in the thread of its network manager.
class ChatStream : public QObject
{
    Q_OBJECT

public:
    ChatStream(QNetworkAccessManager *network,
               ProviderProfile profile,
               ChatRequest request,
               QObject *parent = nullptr);
    ~ChatStream() override;

    // Streams until the answer ends, fails or is cancelled. Deltas are emitted as parsed.
    QCoro::Task<StreamOutcome> run();

    // Aborts the HTTP request at once; run() then ends with a `cancelled` error.
    void cancel();

Q_SIGNALS:
    void deltaReceived(const ChatDelta &delta);

    // A failed attempt will be retried after `delay` (before any token was received).
    void retrying(int nextAttempt, const ChatError &error, std::chrono::milliseconds delay);
};
