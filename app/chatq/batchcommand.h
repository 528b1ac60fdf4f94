#pragma once

#include <QCoroTask>

#include <QStringList>

class InterruptWatcher;

// `chatq batch`: runs every request of a JSONL file as a job, a few at once, and writes one
// JSONL result per request as it ends. With --output, a later run skips what is done.
// Resolves to the exit status: 0 all succeeded, 3 some did not, 130 interrupted.
QCoro::Task<int> runBatch(QStringList arguments, InterruptWatcher *interrupts);
