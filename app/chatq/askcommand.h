#pragma once

#include "app/chatq/askoptions.h"

#include <QCoroTask>

class InterruptWatcher;

// `chatq ask`: submits one job, streams its answer to stdout as it arrives, and resolves to
// the exit status. On the in-process queue it runs its own worker; on Redis the fleet does.
QCoro::Task<int> runAsk(AskOptions options, InterruptWatcher *interrupts);
