#include "core/provider/providerlog.h"

Q_LOGGING_CATEGORY(lcProvider, "chatqueue.provider")
