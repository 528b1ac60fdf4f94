#pragma once

#include <QCoroTask>

#include <QStringList>

// `chatq models`: lists the model ids a profile's provider offers (GET {base}/models), one
// per line or as a JSON array, and resolves to the exit status: 0 listed, 1 the provider or
// the network refused (its own words on stderr), 2 bad usage.
QCoro::Task<int> runModels(QStringList arguments);
