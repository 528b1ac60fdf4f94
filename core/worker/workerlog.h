#pragma once

#include <QLoggingCategory>

// Worker threads and the jobs they run: "chatqueue.worker".
Q_DECLARE_LOGGING_CATEGORY(lcWorker)
