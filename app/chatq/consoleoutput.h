#pragma once

#include <QString>

// Text for the terminal or a pipe, always as UTF-8, flushed at once so a reader sees each
// piece of an answer as it arrives.
namespace console {

// Makes the console expect UTF-8 (Windows code pages); call once at start.
void setUp();

void out(const QString &text);
void err(const QString &text);

} // namespace console
