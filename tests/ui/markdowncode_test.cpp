// Code blocks and formulas in rendered Markdown: languages, colours for both themes, the
// Copy link, TeX kept as written, and streaming that ends like rendering the whole text.

#include "ui/markdown/codehighlighter.h"
#include "ui/markdown/markdownrenderer.h"
#include "ui/markdown/markdownstreamer.h"
#include "ui/markdown/markdownview.h"
#include "ui/markdown/safetextdocument.h"

#include <gtest/gtest.h>

#include <QAbstractTextDocumentLayout>
#include <QClipboard>
#include <QDesktopServices>
#include <QGuiApplication>
#include <QPalette>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

#include <cmath>

#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;

namespace {

// Records every URL the desktop services were asked to open.
class UrlRecorder : public QObject
{
    Q_OBJECT

public:
    explicit UrlRecorder(const QStringList &schemes)
        : m_schemes(schemes)
    {
        for (const QString &scheme : m_schemes) {
            QDesktopServices::setUrlHandler(scheme, this, "open");
        }
    }

    ~UrlRecorder() override
    {
        for (const QString &scheme : m_schemes) {
            QDesktopServices::unsetUrlHandler(scheme);
        }
    }

    QList<QUrl> opened;

public Q_SLOTS:

    void open(const QUrl &url) { opened.append(url); }

private:
    QStringList m_schemes;
};

// The format of the first character of the first occurrence of `needle`.
QTextCharFormat formatOf(const QTextDocument &document, const QString &needle)
{
    const QTextCursor found = document.find(needle, 0, QTextDocument::FindCaseSensitively);
    if (found.isNull()) {
        ADD_FAILURE() << "not found: " << needle.toStdString();
        return {};
    }
    QTextCursor cursor(found);
    cursor.setPosition(found.selectionStart() + 1);
    return cursor.charFormat();
}

// The colour a piece of code is drawn in; invalid when it keeps the palette's text colour.
QColor colourOf(const QTextDocument &document, const QString &needle)
{
    const QTextCharFormat format = formatOf(document, needle);
    return format.foreground().style() == Qt::NoBrush ? QColor() : format.foreground().color();
}

QList<QTextBlock> headers(const QTextDocument &document)
{
    QList<QTextBlock> found;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            if (MarkdownRenderer::codeBlockOfCopyLink(QUrl(it.fragment().charFormat().anchorHref()))
                >= 0) {
                found.append(block);
                break;
            }
        }
    }
    return found;
}

// Every coloured or formula piece of text, in order, with how it is drawn.
QStringList colourSignature(const QTextDocument &document)
{
    QStringList signature;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat format = it.fragment().charFormat();
            if (format.foreground().style() == Qt::NoBrush && !format.fontFixedPitch()) {
                continue;
            }
            signature.append(u"%1|%2|%3"_s.arg(it.fragment().text(),
                                               format.foreground().color().name(),
                                               format.fontFixedPitch() ? u"mono"_s : u""_s));
        }
    }
    return signature;
}

// WCAG contrast ratio of two opaque colours.
double contrast(const QColor &a, const QColor &b)
{
    const auto luminance = [](const QColor &colour) {
        const auto channel = [](double value) {
            return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
               + 0.0722 * channel(colour.blueF());
    };
    const double first = luminance(a) + 0.05;
    const double second = luminance(b) + 0.05;
    return first > second ? first / second : second / first;
}

QPalette darkPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, QColor(0x1e, 0x1e, 0x1e));
    palette.setColor(QPalette::Base, QColor(0x25, 0x25, 0x25));
    palette.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
    palette.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    return palette;
}

// Where the text of the anchor `href` is drawn, in the view's viewport.
QPoint anchorPoint(const MarkdownView &view, const QString &href)
{
    const QTextDocument *document = view.document();
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (fragment.charFormat().anchorHref() != href) {
                continue;
            }
            const int offset = fragment.position() - block.position();
            const QTextLine line = block.layout()->lineForTextPosition(offset);
            const QRectF blockRect = document->documentLayout()->blockBoundingRect(block);
            const qreal x = (line.cursorToX(offset) + line.cursorToX(offset + 1)) / 2;
            const QPointF point = blockRect.topLeft() + QPointF(x, line.y() + line.height() / 2);
            return point.toPoint()
                   - QPoint(view.horizontalScrollBar()->value(), view.verticalScrollBar()->value());
        }
    }
    ADD_FAILURE() << "no anchor " << href.toStdString();
    return {};
}

struct LanguageSample
{
    const char *language;
    const char16_t *code;
    const char16_t *keyword;
    const char16_t *string;
    const char16_t *comment; // or a number where the language has no comments
    const char16_t *plain;
};

const LanguageSample kSamples[] = {
        {"python",
         u"def area(value):\n    # note\n    return \"text\"",
         u"def",
         u"\"text\"",
         u"# note",
         u"value"},
        {"cpp",
         u"#include <vector>\nint main()\n{\n    // note\n    return value + \"text\";\n}",
         u"return",
         u"\"text\"",
         u"// note",
         u"value"},
        {"json",
         u"{\"key\": \"text\", \"n\": 42, \"ok\": true}",
         u"true",
         u"\"text\"",
         u"42",
         u" "},
        {"bash",
         u"# note\nfor value in a b; do\n  echo \"text\"\ndone",
         u"for",
         u"\"text\"",
         u"# note",
         u"value"},
};

// The token of the first character of `needle` in `code`.
CodeToken tokenAt(QStringView language, const QString &code, const QString &needle)
{
    const qsizetype at = code.indexOf(needle);
    if (at < 0) {
        ADD_FAILURE() << "not found: " << needle.toStdString();
        return CodeToken::Plain;
    }
    const QList<CodeSpan> spans = CodeHighlighter::highlight(language, code);
    for (const CodeSpan &span : spans) {
        if (span.start <= at && at < span.start + span.length) {
            return span.token;
        }
    }
    return CodeToken::Plain;
}

struct TokenCase
{
    const char16_t *language;
    const char16_t *code;
    const char16_t *needle;
    CodeToken token;
};

const TokenCase kTokenCases[] = {
        {u"ts", u"const n: number = 1; // c", u"const", CodeToken::Keyword},
        {u"ts", u"const n: number = 1; // c", u"number", CodeToken::Type},
        {u"ts", u"const s = `a\nb`;", u"b`", CodeToken::String},
        {u"go", u"func main() { fmt.Println(\"x\") }", u"func", CodeToken::Keyword},
        {u"go", u"func main() { fmt.Println(\"x\") }", u"Println", CodeToken::Function},
        {u"rust", u"fn f() -> Option<u8> { None }", u"u8", CodeToken::Type},
        {u"rust", u"/* a\nb */ let x = 2;", u"b */", CodeToken::Comment},
        {u"java", u"@Override\npublic String name() {}", u"@Override", CodeToken::Preprocessor},
        {u"java", u"@Override\npublic String name() {}", u"String", CodeToken::Type},
        {u"c#", u"var s = \"a\\\"b\"; int n = 0x1F;", u"0x1F", CodeToken::Number},
        {u"c#", u"var s = \"a\\\"b\"; int n = 0x1F;", u"b\"", CodeToken::String},
        {u"python", u"s = '''one\ntwo'''\nx = f\"{y}\"", u"two", CodeToken::String},
        {u"python", u"s = '''one\ntwo'''\nx = f\"{y}\"", u"f\"", CodeToken::String},
        {u"python", u"x = None", u"None", CodeToken::Literal},
        {u"sql", u"SELECT id FROM users -- all", u"FROM", CodeToken::Keyword},
        {u"sql", u"SELECT id FROM users -- all", u"-- all", CodeToken::Comment},
        {u"yaml", u"name: app # c\nlist:\n  - on\n", u"name", CodeToken::Key},
        {u"yaml", u"name: app # c\nlist:\n  - on\n", u"# c", CodeToken::Comment},
        {u"yaml", u"name: app # c\nlist:\n  - on\n", u"on\n", CodeToken::Literal},
        {u"toml", u"[server]\nport = 8080\n", u"[server]", CodeToken::Tag},
        {u"toml", u"[server]\nport = 8080\n", u"port", CodeToken::Key},
        {u"toml", u"[server]\nport = 8080\n", u"8080", CodeToken::Number},
        {u"html", u"<a href=\"x\">t</a><!-- c -->", u"<a", CodeToken::Tag},
        {u"html", u"<a href=\"x\">t</a><!-- c -->", u"href", CodeToken::Attribute},
        {u"html", u"<a href=\"x\">t</a><!-- c -->", u"\"x\"", CodeToken::String},
        {u"html", u"<a href=\"x\">t</a><!-- c -->", u"<!--", CodeToken::Comment},
        {u"css", u".box { color: #fff; width: 10px; }", u".box", CodeToken::Attribute},
        {u"css", u".box { color: #fff; width: 10px; }", u"color", CodeToken::Key},
        {u"css", u".box { color: #fff; width: 10px; }", u"10px", CodeToken::Number},
        {u"sh", u"echo $HOME '$x' # c", u"$HOME", CodeToken::Variable},
        {u"sh", u"echo $HOME '$x' # c", u"'$x'", CodeToken::String},
        {u"ps1", u"$x = Get-Item -Path . # c", u"$x", CodeToken::Variable},
        {u"ps1", u"<# block #> $true", u"$true", CodeToken::Literal},
        {u"cpp", u"#include <map>\nstd::string s;", u"#include", CodeToken::Preprocessor},
        {u"js:app.js", u"let a = 1;", u"let", CodeToken::Keyword},
        {u"kotlin", u"fun main() { val x = 1 }", u"val", CodeToken::Keyword},
        {u"swift", u"let x: Int = nil", u"nil", CodeToken::Literal},
};

} // namespace

TEST(MarkdownCode, TokenizesCommonLanguages)
{
    for (const TokenCase &item : kTokenCases) {
        const QString code = QString::fromUtf16(item.code);
        const QString needle = QString::fromUtf16(item.needle);
        SCOPED_TRACE(QString::fromUtf16(item.language).toStdString() + " " + needle.toStdString());

        const CodeToken token = tokenAt(QString::fromUtf16(item.language), code, needle);

        EXPECT_EQ(int(token), int(item.token));
    }
}

TEST(MarkdownCode, HeaderNamesTheLanguage)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document, u"```python\nx = 1\n```\n\n```\nplain\n```\n"_s);

    const QList<QTextBlock> found = headers(document);
    ASSERT_EQ(found.size(), 2);
    EXPECT_TRUE(found.at(0).text().startsWith(u"python"_s)) << found.at(0).text().toStdString();
    EXPECT_TRUE(found.at(0).text().endsWith(MarkdownRenderer::copyLabel()));
    EXPECT_TRUE(found.at(1).text().startsWith(u"text"_s)) << found.at(1).text().toStdString();
    EXPECT_EQ(found.at(0).next().text(), u"x = 1"_s);
    EXPECT_EQ(found.at(1).next().text(), u"plain"_s);
}

TEST(MarkdownCode, KeepsTwoCodeBlocksInARowApart)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document, u"```js\nfirst()\n```\n```js\nsecond()\n```\n"_s);

    EXPECT_EQ(headers(document).size(), 2);
    EXPECT_EQ(MarkdownRenderer::codeBlockText(&document, 0), u"first()"_s);
    EXPECT_EQ(MarkdownRenderer::codeBlockText(&document, 1), u"second()"_s);
}

TEST(MarkdownCode, ColoursKeywordsStringsAndComments)
{
    for (const LanguageSample &sample : kSamples) {
        SCOPED_TRACE(sample.language);
        SafeTextDocument document;

        MarkdownRenderer::render(&document,
                                 u"```%1\n%2\n```\n"_s.arg(QString::fromLatin1(sample.language),
                                                           QString::fromUtf16(sample.code)));

        const QColor keyword = colourOf(document, QString::fromUtf16(sample.keyword));
        const QColor string = colourOf(document, QString::fromUtf16(sample.string));
        const QColor comment = colourOf(document, QString::fromUtf16(sample.comment));
        const QColor plain = colourOf(document, QString::fromUtf16(sample.plain));
        EXPECT_TRUE(keyword.isValid());
        EXPECT_TRUE(string.isValid());
        EXPECT_TRUE(comment.isValid());
        EXPECT_FALSE(plain.isValid()) << plain.name().toStdString();
        EXPECT_NE(keyword, string);
        EXPECT_NE(keyword, comment);
        EXPECT_NE(string, comment);
        EXPECT_TRUE(formatOf(document, QString::fromUtf16(sample.keyword)).fontFixedPitch());
    }
}

TEST(MarkdownCode, UnderstandsLanguageAliases)
{
    EXPECT_EQ(CodeHighlighter::canonicalLanguage(u"py"), u"python"_s);
    EXPECT_EQ(CodeHighlighter::canonicalLanguage(u"C++"), u"cpp"_s);
    EXPECT_EQ(CodeHighlighter::canonicalLanguage(u"ts"), u"typescript"_s);
    EXPECT_EQ(CodeHighlighter::canonicalLanguage(u"sh"), u"bash"_s);
    EXPECT_EQ(CodeHighlighter::canonicalLanguage(u"yml"), u"yaml"_s);
    EXPECT_EQ(CodeHighlighter::canonicalLanguage(u"ps1"), u"powershell"_s);
    EXPECT_TRUE(CodeHighlighter::canonicalLanguage(u"brainfork").isEmpty());
}

TEST(MarkdownCode, ColoursDiffLines)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document, u"```diff\n@@ -1 +1 @@\n-old line\n+new line\n```\n"_s);

    const QColor removed = colourOf(document, u"-old"_s);
    const QColor added = colourOf(document, u"+new"_s);
    EXPECT_TRUE(removed.isValid());
    EXPECT_TRUE(added.isValid());
    EXPECT_NE(removed, added);
}

TEST(MarkdownCode, DarkPaletteColoursDifferAndKeepContrast)
{
    const QColor white(Qt::white);
    const QColor dark = darkPalette().color(QPalette::Window);
    for (int token = int(CodeToken::Keyword); token <= int(CodeToken::Link); ++token) {
        SCOPED_TRACE(token);

        const QColor onLight = CodeHighlighter::colour(CodeToken(token), CodeTheme::Light);
        const QColor onDark = CodeHighlighter::colour(CodeToken(token), CodeTheme::Dark);

        EXPECT_NE(onLight, onDark);
        EXPECT_GE(contrast(onLight, white), 4.5) << onLight.name().toStdString();
        EXPECT_GE(contrast(onDark, dark), 4.5) << onDark.name().toStdString();
    }
}

TEST(MarkdownCode, FollowsThePaletteOfTheView)
{
    MarkdownView view;
    MarkdownRenderer::render(view.document(), u"```python\nreturn 1\n```\n"_s);
    const QColor light = colourOf(*view.document(), u"return"_s);

    view.setPalette(darkPalette());
    const QColor dark = colourOf(*view.document(), u"return"_s);
    MarkdownRenderer::append(view.document(), u"```python\nimport os\n```\n"_s);
    const QColor appended = colourOf(*view.document(), u"import"_s);

    EXPECT_EQ(light, CodeHighlighter::colour(CodeToken::Keyword, CodeTheme::Light));
    EXPECT_EQ(dark, CodeHighlighter::colour(CodeToken::Keyword, CodeTheme::Dark));
    EXPECT_EQ(appended, dark);
    EXPECT_GE(contrast(dark, darkPalette().color(QPalette::Window)), 4.5);
}

TEST(MarkdownCode, RendersASampleAnswerInBothThemes)
{
    const QString answer =
            u"## Result\n\nThe area is $\\pi r^2$, it costs $5 and $10.\n\n"
            "```python\n@cache\ndef area(r: float) -> float:\n    \"\"\"Doc.\"\"\"\n"
            "    return 3.14 * r ** 2  # approx\n```\n\n"
            "```json\n{\"name\": \"x\", \"size\": 42, \"ok\": true, \"none\": null}\n```\n\n"
            "```bash\n# list\nfor f in *.txt; do echo \"$f\" | wc -l; done\n```\n\n"
            "$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$\n\n"
            "```diff\n@@ -1 +1 @@\n-old\n+new\n```\n"_s;
    MarkdownView light;
    MarkdownView dark;
    dark.setPalette(darkPalette());
    dark.setAutoFillBackground(true);
    dark.viewport()->setAutoFillBackground(true);

    for (MarkdownView *view : {&light, &dark}) {
        MarkdownRenderer::render(view->document(), answer);
        view->resize(560, 200);
        view->show();
    }
    light.grab().save(artifactPath(u"markdown-code-light.png"_s));
    dark.grab().save(artifactPath(u"markdown-code-dark.png"_s));

    EXPECT_EQ(headers(*light.document()).size(), 4);
    EXPECT_EQ(colourOf(*light.document(), u"area(r"_s),
              CodeHighlighter::colour(CodeToken::Function, CodeTheme::Light));
    EXPECT_NE(colourSignature(*light.document()), colourSignature(*dark.document()));
}

TEST(MarkdownCopy, CopyLinkPutsExactlyTheCodeOnTheClipboard)
{
    UrlRecorder recorder({u"http"_s, u"https"_s, u"file"_s, u"chatqueue-copy"_s});
    QGuiApplication::clipboard()->setText(u"before"_s);
    MarkdownView view;
    QSignalSpy copied(&view, &MarkdownView::codeCopied);
    QSignalSpy refused(&view, &MarkdownView::linkRefused);
    const QString code = u"print(\"hi\")\n\n    x = 1  # two  spaces"_s;
    MarkdownRenderer::render(
            view.document(),
            u"Intro\n\n```python\n%1\n```\n\n```\nother\n```\n\nOutro"_s.arg(code));
    view.resize(500, 300);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    const QString href = MarkdownRenderer::copyLink(0).toString();
    const QPoint point = anchorPoint(view, href);
    ASSERT_EQ(view.anchorAt(point), href);

    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, point);

    ASSERT_EQ(copied.count(), 1);
    EXPECT_EQ(copied.first().first().toString(), code);
    EXPECT_EQ(QGuiApplication::clipboard()->text(), code);
    EXPECT_EQ(refused.count(), 0);
    EXPECT_TRUE(recorder.opened.isEmpty());
    EXPECT_TRUE(headers(*view.document()).first().text().endsWith(MarkdownView::tr("Copied")));
}

TEST(MarkdownCopy, CopiedSelectionLeavesTheHeadersOut)
{
    MarkdownView view;
    MarkdownRenderer::render(view.document(), u"Before\n\n```python\nx = 1\n```\n\nAfter"_s);
    view.resize(400, 200);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.selectAll();

    view.copy();

    EXPECT_EQ(QGuiApplication::clipboard()->text(), u"Before\nx = 1\nAfter"_s);
    EXPECT_TRUE(view.document()->toPlainText().contains(MarkdownRenderer::copyLabel()));
}

TEST(MarkdownCopy, CopiesWhileTheAnswerStillStreams)
{
    MarkdownView view;
    MarkdownStreamer streamer(view.document());
    QSignalSpy copied(&view, &MarkdownView::codeCopied);
    streamer.append(u"```sh\nls -la\n```\nMore text comes"_s);

    const bool done = view.copyCodeBlock(0);
    streamer.append(u" here.\n\nAnd a paragraph."_s);
    streamer.finish();

    ASSERT_TRUE(done);
    ASSERT_EQ(copied.count(), 1);
    EXPECT_EQ(copied.first().first().toString(), u"ls -la"_s);
    EXPECT_TRUE(
            view.document()->toPlainText().endsWith(u"More text comes here.\nAnd a paragraph."_s))
            << view.document()->toPlainText().toStdString();
}

TEST(MarkdownCopy, ALinkInTheTextCannotPoseAsACopyLink)
{
    MarkdownView view;
    QSignalSpy copied(&view, &MarkdownView::codeCopied);
    MarkdownRenderer::render(view.document(),
                             u"[run me](chatqueue-copy:0)\n\n```\nrm -rf ~\n```\n"_s);

    const QList<QTextBlock> found = headers(*view.document());

    ASSERT_EQ(found.size(), 1);
    EXPECT_TRUE(formatOf(*view.document(), u"run me"_s).anchorHref().isEmpty());
    EXPECT_EQ(copied.count(), 0);
}

TEST(MarkdownView, ClickOnAFileLinkOpensAndLoadsNothing)
{
    UrlRecorder recorder({u"file"_s, u"http"_s, u"https"_s});
    MarkdownView view;
    QSignalSpy refused(&view, &MarkdownView::linkRefused);
    MarkdownRenderer::render(view.document(),
                             u"[secret](file:///etc/passwd) ![img](file:///etc/passwd)"_s);
    view.resize(500, 200);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.grab();
    const QPoint point = anchorPoint(view, u"file:///etc/passwd"_s);

    QTest::mouseClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, point);

    ASSERT_EQ(refused.count(), 1);
    EXPECT_EQ(refused.first().first().toUrl(), QUrl(u"file:///etc/passwd"_s));
    EXPECT_TRUE(recorder.opened.isEmpty());
    EXPECT_EQ(view.safeDocument()->refusedResourceCount(), 0);
    EXPECT_TRUE(view.document()->toPlainText().contains(u"[image: img]"_s));
}

TEST(MarkdownMath, KeepsTexAsMonospaceText)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document, u"Inline $x_1^2 + \\frac{a}{b}$ and *emph*."_s);

    const QString text = document.toPlainText();
    EXPECT_EQ(text, u"Inline x_1^2 + \\frac{a}{b} and emph."_s);
    EXPECT_TRUE(formatOf(document, u"x_1^2"_s).fontFixedPitch());
    EXPECT_TRUE(formatOf(document, u"\\frac"_s).fontFixedPitch());
    EXPECT_FALSE(formatOf(document, u"Inline"_s).fontFixedPitch());
    EXPECT_TRUE(formatOf(document, u"emph"_s).fontItalic());
}

TEST(MarkdownMath, LeavesPricesAlone)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document, u"It costs $5 and $10, or \\$20 for both."_s);

    EXPECT_EQ(document.toPlainText(), u"It costs $5 and $10, or $20 for both."_s);
    EXPECT_FALSE(formatOf(document, u"5"_s).fontFixedPitch());
}

TEST(MarkdownMath, ShowsEveryDelimiterStyle)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document,
                             u"A \\(a_b\\) and $c*d*e$.\n\n$$\n\\sum_{i=1}^{n} i\n$$\n\n"
                             "\\[ e^{i\\pi} + 1 = 0 \\]\n\nEnd"_s);

    const QString text = document.toPlainText();
    EXPECT_EQ(text, u"A a_b and c*d*e.\n\\sum_{i=1}^{n} i\ne^{i\\pi} + 1 = 0\nEnd"_s);
    EXPECT_TRUE(formatOf(document, u"\\sum"_s).fontFixedPitch());
    const QTextBlock display = document.find(u"\\sum"_s).block();
    EXPECT_EQ(display.blockFormat().alignment() & Qt::AlignHorizontal_Mask, Qt::AlignHCenter);
}

TEST(MarkdownMath, LeavesCodeAlone)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document, u"Use `$x$` here\n\n```\necho $HOME $x$\n```\n"_s);

    const QString text = document.toPlainText();
    EXPECT_TRUE(text.contains(u"Use $x$ here"_s)) << text.toStdString();
    EXPECT_EQ(MarkdownRenderer::codeBlockText(&document, 0), u"echo $HOME $x$"_s);
}

TEST(MarkdownStreamer, EndsLikeTheWholeTextWhereverTheTextIsCut)
{
    const QString sample =
            u"Try $a_1 + \\frac{x}{2}$ for $5.\n\n```py\nif x:\n    return \"s\"  # c\n"
            "```\nNext `code` and $$y^2$$\n\n```bash\necho $HOME\n```"_s;
    SafeTextDocument whole;
    MarkdownRenderer::render(&whole, sample);
    const QString wholeText = whole.toPlainText();
    const QStringList wholeColours = colourSignature(whole);
    ASSERT_TRUE(wholeText.contains(u"a_1 + \\frac{x}{2}"_s)) << wholeText.toStdString();

    for (qsizetype cut = 1; cut < sample.size(); ++cut) {
        SafeTextDocument streamed;
        MarkdownStreamer streamer(&streamed);

        streamer.append(sample.left(cut));
        streamer.append(sample.mid(cut));
        streamer.finish();

        ASSERT_EQ(streamed.toPlainText(), wholeText) << "cut at " << cut;
        ASSERT_EQ(colourSignature(streamed), wholeColours) << "cut at " << cut;
    }

    SafeTextDocument streamed;
    MarkdownStreamer streamer(&streamed);
    for (const QChar c : sample) {
        streamer.append(QString(c));
    }
    streamer.finish();
    EXPECT_EQ(streamed.toPlainText(), wholeText);
    EXPECT_EQ(colourSignature(streamed), wholeColours);
}

TEST(MarkdownStreamer, ColoursACodeBlockOnceItsFenceCloses)
{
    SafeTextDocument document;
    MarkdownStreamer streamer(&document);

    streamer.append(u"Intro\n\n```python\nreturn 1\n```\nstill stream"_s);

    EXPECT_TRUE(colourOf(document, u"return"_s).isValid());
    EXPECT_EQ(document.lastBlock().text(), u"still stream"_s);
}

TEST(MarkdownStreamer, ShowsAnOpenCodeBlockAsCode)
{
    SafeTextDocument document;
    MarkdownStreamer streamer(&document);

    streamer.append(u"Intro\n\n```py"_s);
    const bool monospaceBeforeTheFenceEnds = formatOf(document, u"```py"_s).fontFixedPitch();
    streamer.append(u"thon\nx = 1\ny"_s);

    EXPECT_FALSE(monospaceBeforeTheFenceEnds);
    EXPECT_TRUE(formatOf(document, u"```python"_s).fontFixedPitch());
    EXPECT_TRUE(formatOf(document, u"x = 1"_s).fontFixedPitch());
    EXPECT_EQ(document.lastBlock().text(), u"y"_s);
    EXPECT_TRUE(document.lastBlock().blockFormat().hasProperty(QTextFormat::BackgroundBrush));
    EXPECT_FALSE(formatOf(document, u"Intro"_s).fontFixedPitch());
}

TEST(MarkdownCopy, CopyLabelSitsAtTheRightOfTheHeader)
{
    MarkdownView view;
    MarkdownRenderer::render(view.document(), u"```go\nfunc main() {}\n```\n"_s);
    view.resize(500, 200);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));

    const QPoint point = anchorPoint(view, MarkdownRenderer::copyLink(0).toString());

    EXPECT_GT(point.x(), view.viewport()->width() * 3 / 4);
}

#include "markdowncode_test.moc"
