#pragma once

#include <QChar>
#include <QList>
#include <QString>
#include <QStringView>

// A TeX formula found in Markdown: `$…$`, `\(…\)` inline; `$$…$$`, `\[…\]` on a line.
struct MathSpan
{
    QString tex;    // the formula without its delimiters, exactly as written
    QString source; // the formula with its delimiters, to put back where it is no formula
    bool display = false;
};

// Prepares untrusted Markdown for Qt's Markdown reader, which knows neither TeX nor which
// code block a line belongs to:
// - every formula is replaced by a placeholder (kMathStart, its index, kMathEnd), so that the
//   reader neither takes `_` or `*` for emphasis nor drops backslashes inside it;
// - every fenced code block gets its index appended to its language (kCodeBlockMark, index),
//   so that two code blocks in a row stay apart.
// Code blocks and code spans are left as they are. A formula never spans a blank line, so
// Markdown cut into blocks at blank lines gives the same formulas as the whole text.
class MarkdownPreprocessor
{
public:
    static constexpr QChar kMathStart = QChar(0xE000);
    static constexpr QChar kMathEnd = QChar(0xE001);
    // ASCII, as Qt 6.4 reads a code block's language as Latin-1.
    static constexpr QChar kCodeBlockMark = QChar(0x1F);

    // A code fence line: three or more backticks or tildes after at most three spaces.
    struct Fence
    {
        QChar marker; // null when the line is no fence
        qsizetype length = 0;
        qsizetype indent = 0;
        qsizetype infoStart = 0; // where the info string (language) starts in the line
        bool hasInfo = false;

        bool isValid() const { return !marker.isNull(); }

        // Whether `line`'s fence closes a block that this fence opened.
        bool isClosedBy(const Fence &line) const
        {
            return line.marker == marker && line.length >= length && !line.hasInfo;
        }
    };

    struct Result
    {
        QString markdown;
        QList<MathSpan> math;
        int codeBlocks = 0;
    };

    static Fence fenceOf(QStringView line);

    static Result process(QStringView markdown);
};
