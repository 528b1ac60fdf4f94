#include "ui/markdown/markdownpreprocessor.h"

using namespace Qt::StringLiterals;

namespace {

bool isBlankLine(QStringView text)
{
    return text.trimmed().isEmpty();
}

// Where `closer` next occurs from `from` on, skipping backslash escapes; -1 if it does not.
qsizetype findCloser(QStringView text, qsizetype from, QStringView closer)
{
    for (qsizetype i = from; i < text.size(); ++i) {
        if (text.mid(i).startsWith(closer)) {
            return i;
        }
        if (text[i] == u'\\' && closer[0] != u'\\') {
            ++i;
        }
    }
    return -1;
}

// The closing `$` of an inline formula opened before `from` (pandoc's rule: the closing `$`
// follows a non-space and no digit follows it), or -1. A second `$` that cannot close ends
// the search, so that "$5 and $10" holds no formula.
qsizetype findInlineDollar(QStringView text, qsizetype from)
{
    for (qsizetype i = from; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == u'\\') {
            ++i;
            continue;
        }
        if (c != u'$') {
            continue;
        }
        const bool afterText = !text[i - 1].isSpace();
        const bool beforeDigit = i + 1 < text.size() && text[i + 1].isDigit();
        return afterText && !beforeDigit ? i : -1;
    }
    return -1;
}

class MathScanner
{
public:
    MathScanner(QStringView text, QList<MathSpan> *math, QString *out)
        : m_text(text)
        , m_math(math)
        , m_out(out)
    {}

    // Paragraph by paragraph: neither a formula nor a code span goes on past a blank line.
    void run()
    {
        const QStringView all = m_text;
        qsizetype lineStart = 0;
        qsizetype paragraphStart = 0;
        while (lineStart < all.size()) {
            qsizetype lineEnd = all.indexOf(u'\n', lineStart);
            lineEnd = lineEnd < 0 ? all.size() : lineEnd + 1;
            if (isBlankLine(all.mid(lineStart, lineEnd - lineStart))) {
                scanParagraph(all.mid(paragraphStart, lineStart - paragraphStart));
                m_out->append(all.mid(lineStart, lineEnd - lineStart));
                paragraphStart = lineEnd;
            }
            lineStart = lineEnd;
        }
        scanParagraph(all.mid(paragraphStart));
        m_text = all;
    }

private:
    void scanParagraph(QStringView paragraph)
    {
        m_text = paragraph;
        qsizetype i = 0;
        while (i < m_text.size()) {
            i = step(i);
        }
    }

    // Handles what starts at `i` and returns where the next step starts.
    qsizetype step(qsizetype i)
    {
        const QChar c = m_text[i];
        const QChar next = i + 1 < m_text.size() ? m_text[i + 1] : QChar();

        if (c == u'\\' && (next == u'(' || next == u'[')) {
            const QStringView closer = next == u'(' ? u"\\)" : u"\\]";
            const qsizetype end = findCloser(m_text, i + 2, closer);
            if (end > i + 2 && !m_text.mid(i + 2, end - i - 2).trimmed().isEmpty()) {
                addMath(i, i + 2, end, end + 2, next == u'[');
                return end + 2;
            }
        }
        if (c == u'\\') {
            // An escaped character, kept for the Markdown reader: "\$" is a dollar sign.
            m_out->append(m_text.mid(i, next.isNull() ? 1 : 2));
            return i + 2;
        }

        if (c == u'`') {
            return codeSpan(i);
        }

        if (c == u'$' && next == u'$') {
            const qsizetype end = findCloser(m_text, i + 2, u"$$");
            if (end > i + 2 && !m_text.mid(i + 2, end - i - 2).trimmed().isEmpty()) {
                addMath(i, i + 2, end, end + 2, true);
                return end + 2;
            }
            m_out->append(u"$$"_s);
            return i + 2;
        }
        if (c == u'$' && !next.isNull() && !next.isSpace()) {
            const qsizetype end = findInlineDollar(m_text, i + 1);
            if (end > i + 1) {
                addMath(i, i + 1, end, end + 1, false);
                return end + 1;
            }
        }

        m_out->append(c);
        return i + 1;
    }

    // A code span: a run of backticks up to a run of the same length. Copied as it is.
    qsizetype codeSpan(qsizetype i)
    {
        qsizetype run = 0;
        while (i + run < m_text.size() && m_text[i + run] == u'`') {
            ++run;
        }
        const QString ticks(run, u'`');
        qsizetype search = i + run;
        while (true) {
            const qsizetype close = m_text.indexOf(ticks, search);
            if (close < 0) {
                m_out->append(ticks);
                return i + run;
            }
            qsizetype closeRun = 0;
            while (close + closeRun < m_text.size() && m_text[close + closeRun] == u'`') {
                ++closeRun;
            }
            if (closeRun == run) {
                m_out->append(m_text.mid(i, close + run - i));
                return close + run;
            }
            search = close + closeRun;
        }
    }

    void addMath(qsizetype start, qsizetype texStart, qsizetype texEnd, qsizetype end, bool display)
    {
        QStringView tex = m_text.mid(texStart, texEnd - texStart);
        const bool dollar = m_text[start] == u'$' && !display;
        MathSpan span;
        span.tex = (dollar ? tex : tex.trimmed()).toString();
        span.source = m_text.mid(start, end - start).toString();
        span.display = display;

        m_out->append(MarkdownPreprocessor::kMathStart);
        m_out->append(QString::number(m_math->size()));
        m_out->append(MarkdownPreprocessor::kMathEnd);
        m_math->append(span);
    }

    QStringView m_text;
    QList<MathSpan> *m_math;
    QString *m_out;
};

// The opening fence with the code block's index appended to its first word.
QString tagFence(QStringView line, const MarkdownPreprocessor::Fence &fence, int index)
{
    qsizetype wordEnd = fence.infoStart;
    while (wordEnd < line.size() && !line[wordEnd].isSpace()) {
        ++wordEnd;
    }
    QString tagged = line.left(wordEnd).toString();
    tagged += MarkdownPreprocessor::kCodeBlockMark;
    tagged += QString::number(index);
    tagged += line.mid(wordEnd);
    return tagged;
}

} // namespace

MarkdownPreprocessor::Fence MarkdownPreprocessor::fenceOf(QStringView line)
{
    qsizetype indent = 0;
    while (indent < line.size() && indent < 4 && line[indent] == u' ') {
        ++indent;
    }
    if (indent > 3 || indent >= line.size()) {
        return {};
    }

    const QChar marker = line[indent];
    if (marker != u'`' && marker != u'~') {
        return {};
    }
    qsizetype length = 0;
    while (indent + length < line.size() && line[indent + length] == marker) {
        ++length;
    }
    if (length < 3) {
        return {};
    }

    // A backtick fence's info string holds no backtick (CommonMark).
    qsizetype infoStart = indent + length;
    while (infoStart < line.size() && line[infoStart].isSpace()) {
        ++infoStart;
    }
    const QStringView info = line.mid(infoStart);
    if (marker == u'`' && info.contains(u'`')) {
        return {};
    }
    return Fence{marker, length, indent, infoStart, !info.trimmed().isEmpty()};
}

MarkdownPreprocessor::Result MarkdownPreprocessor::process(QStringView markdown)
{
    // The placeholders' own characters may not come from the text itself.
    QString text = markdown.toString();
    for (QChar &c : text) {
        if (c == kMathStart || c == kMathEnd || c == kCodeBlockMark) {
            c = QChar::ReplacementCharacter;
        }
    }

    Result result;
    result.markdown.reserve(text.size() + 16);
    qsizetype proseStart = 0;
    qsizetype lineStart = 0;
    Fence open;
    while (lineStart < text.size()) {
        qsizetype lineEnd = text.indexOf(u'\n', lineStart);
        lineEnd = lineEnd < 0 ? text.size() : lineEnd + 1;
        QStringView line = QStringView(text).mid(lineStart, lineEnd - lineStart);
        if (line.endsWith(u'\n')) {
            line.chop(1);
        }
        const Fence fence = fenceOf(line);

        if (open.isValid()) {
            // Inside a code block: copied as it is, up to its closing fence.
            result.markdown += text.mid(lineStart, lineEnd - lineStart);
            if (fence.isValid() && open.isClosedBy(fence)) {
                open = Fence();
                proseStart = lineEnd;
            }
        } else if (fence.isValid()) {
            MathScanner(QStringView(text).mid(proseStart, lineStart - proseStart),
                        &result.math,
                        &result.markdown)
                    .run();
            result.markdown += tagFence(line, fence, result.codeBlocks++);
            result.markdown += text.mid(lineStart + line.size(), lineEnd - lineStart - line.size());
            open = fence;
            proseStart = lineEnd;
        }
        lineStart = lineEnd;
    }
    if (!open.isValid()) {
        MathScanner(QStringView(text).mid(proseStart), &result.math, &result.markdown).run();
    }
    return result;
}
