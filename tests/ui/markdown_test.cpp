// Rendering untrusted Markdown: streamed block by block, never loading what it names.

#include "ui/markdown/markdownrenderer.h"
#include "ui/markdown/markdownstreamer.h"
#include "ui/markdown/markdownview.h"
#include "ui/markdown/safetextdocument.h"

#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>
#include <QTextList>

#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;

namespace {

int imageCount(const QTextDocument &document)
{
    int images = 0;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            images += it.fragment().charFormat().isImageFormat() ? 1 : 0;
        }
    }
    return images;
}

QStringList codeBlockLines(const QTextDocument &document)
{
    QStringList lines;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().hasProperty(QTextFormat::BlockCodeFence)) {
            lines.append(block.text());
        }
    }
    return lines;
}

const QString kSample = uR"(# Heading

A paragraph with **bold** and `code`.

- first
- second

```cpp
int main()
{

    return 0;
}
```

| a | b |
|---|---|
| 1 | 2 |

1. one
2. two

Last line 中文)"_s;

} // namespace

TEST(MarkdownStreamer, RendersCompletedBlocksWhileTheTailStaysPlain)
{
    SafeTextDocument document;
    MarkdownStreamer streamer(&document);

    streamer.append(u"# Title\n\nSome **bo"_s);

    EXPECT_EQ(document.firstBlock().blockFormat().headingLevel(), 1);
    EXPECT_EQ(document.firstBlock().text(), u"Title"_s);
    EXPECT_EQ(document.lastBlock().text(), u"Some **bo"_s);
}

TEST(MarkdownStreamer, PieceByPieceEndsLikeTheWholeText)
{
    SafeTextDocument whole;
    MarkdownRenderer::render(&whole, kSample);
    SafeTextDocument streamed;
    MarkdownStreamer streamer(&streamed);

    for (qsizetype i = 0; i < kSample.size(); i += 3) {
        streamer.append(kSample.mid(i, 3));
    }
    streamer.finish();

    EXPECT_EQ(streamed.toPlainText(), whole.toPlainText());
    EXPECT_EQ(codeBlockLines(streamed), codeBlockLines(whole));
}

TEST(MarkdownStreamer, KeepsACodeFenceWithBlankLinesInOneBlock)
{
    SafeTextDocument document;
    MarkdownStreamer streamer(&document);

    streamer.append(u"```\nfirst\n\nsecond\n```\n\nafter\n"_s);
    streamer.finish();

    EXPECT_EQ(codeBlockLines(document), (QStringList{u"first"_s, u""_s, u"second"_s}));
}

TEST(MarkdownRenderer, ShowsRawHtmlAsText)
{
    SafeTextDocument document;

    MarkdownRenderer::render(&document,
                             u"<b>bold</b> <script>alert(1)</script>\n\n<div>block</div>\n"_s);

    const QString text = document.toPlainText();
    EXPECT_TRUE(text.contains(u"<script>alert(1)</script>"_s)) << qPrintable(text);
    EXPECT_TRUE(text.contains(u"<b>bold</b>"_s)) << qPrintable(text);
    EXPECT_FALSE(document.toHtml().contains(u"<script"_s));
    EXPECT_FALSE(document.toHtml().contains(u"<b>"_s));
}

TEST(MarkdownRenderer, TurnsImagesIntoLinksThatAreNeverLoaded)
{
    HitCounter server;
    ASSERT_TRUE(server.isListening());
    const QString url = u"http://127.0.0.1:%1/pixel.png"_s.arg(server.port());
    MarkdownView view;
    view.resize(600, 200);

    MarkdownRenderer::render(view.document(),
                             u"![tracker](%1) ![f](file:///etc/passwd)"_s.arg(url));
    view.show();
    view.grab();

    ASSERT_TRUE(server.settle());
    EXPECT_EQ(server.hits(), 0);
    EXPECT_EQ(imageCount(*view.document()), 0);
    EXPECT_TRUE(view.document()->toPlainText().contains(u"[image: tracker]"_s));
    EXPECT_TRUE(view.document()->toHtml().contains(url));
}

TEST(SafeTextDocument, RefusesEveryResource)
{
    HitCounter server;
    ASSERT_TRUE(server.isListening());
    SafeTextDocument document;
    const QUrl image(u"http://127.0.0.1:%1/pixel.png"_s.arg(server.port()));

    document.setHtml(u"<img src=\"%1\"><img src=\"file:///etc/passwd\">"_s.arg(image.toString()));
    document.setTextWidth(400);
    document.size();
    const QVariant loaded = document.resource(QTextDocument::ImageResource, image);

    ASSERT_TRUE(server.settle());
    EXPECT_EQ(server.hits(), 0);
    EXPECT_FALSE(loaded.isValid());
    EXPECT_GE(document.refusedResourceCount(), 1);
}

TEST(MarkdownView, RefusesLinksThatAreNotWeb)
{
    MarkdownView view;
    QSignalSpy refused(&view, &MarkdownView::linkRefused);

    Q_EMIT view.anchorClicked(QUrl(u"file:///etc/passwd"_s));

    ASSERT_EQ(refused.count(), 1);
    EXPECT_EQ(refused.first().first().toUrl(), QUrl(u"file:///etc/passwd"_s));
}
