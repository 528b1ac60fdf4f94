#pragma once

#include <QCoroTask>

#include <QStringList>

class InterruptWatcher;

// The commands that talk to a shared queue (Redis): each takes the arguments after its name
// (the first being the program name) and resolves to the exit status.
QCoro::Task<int> runSubmit(QStringList arguments);
QCoro::Task<int> runWatch(QStringList arguments, InterruptWatcher *interrupts);
QCoro::Task<int> runStatus(QStringList arguments);
QCoro::Task<int> runJobs(QStringList arguments);
QCoro::Task<int> runCancel(QStringList arguments);
QCoro::Task<int> runWorkers(QStringList arguments);
