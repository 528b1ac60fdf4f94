#include "ui/widgets/longtext.h"

#include <QPlainTextEdit>
#include <QTextOption>

qsizetype trailingRun(qsizetype previousRun, const QString &text, qsizetype *longest)
{
    qsizetype run = previousRun;
    for (const QChar c : text) {
        run = c.isSpace() ? 0 : run + 1;
        if (longest && run > *longest) {
            *longest = run;
        }
    }
    return run;
}

bool hasLongUnbrokenRun(const QString &text, qsizetype limit)
{
    qsizetype longest = 0;
    trailingRun(0, text, &longest);
    return longest > limit;
}

void prepareWrapFor(QPlainTextEdit *edit, const QString &text)
{
    const bool empty = edit->document()->isEmpty();
    if (hasLongUnbrokenRun(text)) {
        edit->setWordWrapMode(QTextOption::WrapAnywhere);
    } else if (empty) {
        edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    }
}

void setPlainTextSafely(QPlainTextEdit *edit, const QString &text)
{
    edit->clear();
    prepareWrapFor(edit, text);
    edit->setPlainText(text);
}
