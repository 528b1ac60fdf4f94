#pragma once

#include <QLoggingCategory>

// Queue backends and their local persistence: "chatqueue.queue".
Q_DECLARE_LOGGING_CATEGORY(lcQueue)
