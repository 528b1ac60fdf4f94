#pragma once

#include "core/queue/jobqueue.h"
#include "core/util/result.h"

#include <QCommandLineParser>
#include <QString>

#include <memory>
#include <optional>

// `--queue URL`, shared by every command: default $CHATQ_QUEUE, else the in-process queue.
QCommandLineOption queueOption();
QString queueUrl(const QCommandLineParser &parser);

// Parses `arguments` into `parser`. Returns the exit status to end with when the command
// should not go on: 0 after printing help, 2 after a usage error. `positional` is how many
// positional arguments the command takes.
std::optional<int>
parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, int positional);

// Opens a connection to a shared queue for commands that make no sense on an in-process
// queue of their own (submit, watch, status…). On failure, prints why and returns the exit
// status: 2 for the in-process queue, 1 when the queue cannot be reached.
Result<std::unique_ptr<JobQueue>, int> openSharedQueue(const QString &url, const QString &command);

// The exit status for a queue that cannot be opened: 2 for a malformed URL, 1 otherwise.
int exitStatusFor(const QueueError &error);
