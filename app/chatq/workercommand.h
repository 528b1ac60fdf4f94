#pragma once

#include <QCoroTask>

#include <QStringList>

class InterruptWatcher;

// `chatq worker`: runs the worker pool headless against a shared queue until SIGINT or
// SIGTERM (or the console closing on Windows); then it stops claiming, lets running jobs
// finish within the grace period and hands the rest back. Resolves to the exit status.
QCoro::Task<int> runWorker(QStringList arguments, InterruptWatcher *interrupts);
