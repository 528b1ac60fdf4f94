#pragma once

#include <QLocale>

// Loads the app's translation for `locale` (built into the binary under :/i18n) and Qt's
// own for its standard dialogs, and installs them in the application. English needs none.
// Returns true when the app's translation was found and installed.
bool installTranslations(const QLocale &locale);

// Removes what installTranslations() installed.
void removeTranslations();
