#pragma once

#include <QString>

class QPlainTextEdit;

// Qt wraps a line at word boundaries by searching for one, which takes time quadratic in
// the length of a run without any: 200,000 characters of base64 or a minified file take
// seconds to lay out, during which the window is frozen. Wrapping anywhere has no such
// search. These helpers switch a text edit to it for text that has such a run, and back
// once the text is cleared, so ordinary prose still wraps between words.

// The longest run Qt is left to wrap between words.
constexpr qsizetype kLongRun = 2000;

// The length of the run of non-space characters at the end of `previousRun` + `text`.
qsizetype trailingRun(qsizetype previousRun, const QString &text, qsizetype *longest);

// True when `text` holds more than `limit` characters in a row without a space or break.
bool hasLongUnbrokenRun(const QString &text, qsizetype limit = kLongRun);

// Chooses `edit`'s wrap mode for `text`, before `text` goes in.
void prepareWrapFor(QPlainTextEdit *edit, const QString &text);

// Sets `edit`'s text with the wrap mode it needs.
void setPlainTextSafely(QPlainTextEdit *edit, const QString &text);
