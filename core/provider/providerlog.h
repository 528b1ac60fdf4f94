#pragma once

#include <QLoggingCategory>

// The provider client (HTTP, SSE, chat streams, model listing): "chatqueue.provider".
Q_DECLARE_LOGGING_CATEGORY(lcProvider)
