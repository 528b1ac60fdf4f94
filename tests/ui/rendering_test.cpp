// The conversation as the user sees it, in the app's light and dark palettes: rendered
// offscreen, saved as PNGs under test-artifacts, and checked by its pixels. Also the theme's
// own rules: which palette counts as dark, and that a chosen scheme stays chosen.

#include "ui/chat/conversationview.h"
#include "ui/chat/messagewidget.h"
#include "ui/chat/reasoningblock.h"
#include "ui/markdown/markdownview.h"
#include "ui/theme/theme.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFontMetrics>
#include <QHash>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QScrollBar>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>

#include <algorithm>
#include <cstdlib>

#include "tests/ui/uitesthelpers.h"

using namespace Qt::StringLiterals;

namespace {

const QString kCjkFamily = u"Noto Sans CJK SC"_s;

const QString kPrompt = u"你是人工智能助手。Explain list comprehensions in Python, show a "
                        u"table, and write down the mass–energy equation."_s;

const QString kReasoning = u"The user wants a short explanation, a code sample, a comparison "
                           u"table and one formula; keep each part brief."_s;

const QString kAnswer = uR"(A list comprehension builds a list in **one expression**:

```python
def squares(n):
    """Return the squares of 0 .. n-1."""
    return [x * x for x in range(n)]
```

| approach | lines | reads as |
|---|---|---|
| `for` loop | 3 | steps |
| comprehension | 1 | a definition |

Inline math: $E=mc^2$. Display math:

\[ \int_0^1 x\,dx = \frac{1}{2} \]

That is all.)"_s;

struct Rendering
{
    QImage image;
    QSize widgetSize;
    QPalette palette;
    QString path;
};

// Builds the conversation in `scheme` as the app does, with applyTheme() before any widget
// exists, and with the scheme's palette on the widget tree too; shows it offscreen tall
// enough for every turn, grabs it and saves it as `fileName` under test-artifacts.
//
// The order matters: a turn reads some colours once, when it is built (its style sheet
// included), so it must be built under the palette it is shown in.
Rendering renderConversation(ColorScheme scheme, const QString &fileName)
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    if (!app) {
        return {};
    }
    applyTheme(*app, scheme == ColorScheme::Dark ? ThemeChoice::Dark : ThemeChoice::Light);
    QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
    const QPalette palette = scheme == ColorScheme::Dark ? darkPalette() : lightPalette();

    ConversationView view;
    QFont font = QApplication::font();
    font.setFamilies({font.family(), kCjkFamily});
    view.setFont(font);
    view.setPalette(palette);

    auto *prompt = new MessageWidget(MessageWidget::Role::User, view.widget());
    prompt->setPrompt(kPrompt);
    view.addMessage(prompt);

    auto *answer = new MessageWidget(MessageWidget::Role::Assistant, view.widget());
    ChatDelta thinking;
    thinking.reasoning = kReasoning;
    answer->appendDelta(thinking);
    answer->flush();
    ChatDelta content;
    content.content = kAnswer;
    answer->appendDelta(content);
    answer->flush();
    answer->finish(JobRecord{});
    view.addMessage(answer);

    view.resize(820, 600);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view, kWaitMs)) {
        return {};
    }
    QApplication::processEvents();

    // Tall enough that nothing scrolls: the column's own height, within reason.
    const int contentHeight = view.widget()->sizeHint().height();
    view.resize(820, std::clamp(contentHeight + 2, 400, 2400));
    QApplication::processEvents();
    view.verticalScrollBar()->setValue(0);
    QApplication::processEvents();

    Rendering rendering;
    rendering.image = view.grab().toImage();
    rendering.widgetSize = view.size();
    rendering.palette = palette;
    rendering.path = artifactPath(fileName);
    rendering.image.save(rendering.path, "PNG");
    return rendering;
}

double luminance(QRgb pixel)
{
    return 0.2126 * qRed(pixel) + 0.7152 * qGreen(pixel) + 0.0722 * qBlue(pixel);
}

double meanLuminance(const QImage &image)
{
    double sum = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            sum += luminance(image.pixel(x, y));
        }
    }
    return sum / (double(image.width()) * image.height());
}

// The share of pixels whose luminance lies in [from, to].
double shareOfLuminance(const QImage &image, double from, double to)
{
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const double value = luminance(image.pixel(x, y));
            count += (value >= from && value <= to) ? 1 : 0;
        }
    }
    return double(count) / (double(image.width()) * image.height());
}

bool near(QRgb pixel, const QColor &colour, int tolerance)
{
    return std::abs(qRed(pixel) - colour.red()) <= tolerance
           && std::abs(qGreen(pixel) - colour.green()) <= tolerance
           && std::abs(qBlue(pixel) - colour.blue()) <= tolerance;
}

int countNear(const QImage &image, const QColor &colour, int tolerance)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            count += near(image.pixel(x, y), colour, tolerance) ? 1 : 0;
        }
    }
    return count;
}

QRgb dominantColour(const QImage &image)
{
    QHash<QRgb, int> histogram;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            ++histogram[image.pixel(x, y) | 0xff000000u];
        }
    }
    QRgb best = 0;
    int bestCount = -1;
    for (auto it = histogram.cbegin(); it != histogram.cend(); ++it) {
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    }
    return best;
}

} // namespace

TEST(Rendering, SavesTheConversationInBothSchemesAsPngs)
{
    const Rendering light = renderConversation(ColorScheme::Light, u"conversation-light.png"_s);
    const Rendering dark = renderConversation(ColorScheme::Dark, u"conversation-dark.png"_s);

    for (const Rendering *rendering : {&light, &dark}) {
        ASSERT_FALSE(rendering->image.isNull());
        EXPECT_EQ(rendering->image.size(),
                  rendering->widgetSize * rendering->image.devicePixelRatio());
        EXPECT_GT(rendering->widgetSize.height(), 400);
        ASSERT_TRUE(QFileInfo::exists(rendering->path)) << rendering->path.toStdString();
        const QImage loaded(rendering->path);
        ASSERT_FALSE(loaded.isNull());
        EXPECT_EQ(loaded.size(), rendering->image.size());
        EXPECT_EQ(loaded.convertToFormat(QImage::Format_RGB32).pixel(10, 10),
                  rendering->image.convertToFormat(QImage::Format_RGB32).pixel(10, 10));
    }
}

TEST(Rendering, DarkSchemeIsMuchDarkerThanLight)
{
    const Rendering light = renderConversation(ColorScheme::Light, u"conversation-light.png"_s);
    const Rendering dark = renderConversation(ColorScheme::Dark, u"conversation-dark.png"_s);

    const double lightMean = meanLuminance(light.image);
    const double darkMean = meanLuminance(dark.image);

    EXPECT_GT(lightMean, 180.0);
    EXPECT_LT(darkMean, 80.0);
    EXPECT_LT(darkMean, lightMean / 2);

    // Text is the only bright thing in the dark image and the only dark thing in the light
    // one: a block left with a light background (a code block, a table, the user's turn)
    // would cover far more.
    EXPECT_LT(shareOfLuminance(dark.image, 170, 255), 0.05);
    EXPECT_LT(shareOfLuminance(light.image, 0, 85), 0.05);
}

TEST(Rendering, TextStandsOutFromTheBackground)
{
    for (const auto &[scheme, name] : {std::pair{ColorScheme::Light, u"conversation-light.png"_s},
                                       std::pair{ColorScheme::Dark, u"conversation-dark.png"_s}}) {
        const Rendering rendering = renderConversation(scheme, name);
        ASSERT_FALSE(rendering.image.isNull());
        const QPalette &palette = rendering.palette;

        const QRgb background = dominantColour(rendering.image);
        const QColor text = palette.color(QPalette::Text);
        const int textPixels = countNear(rendering.image, text, 24);

        SCOPED_TRACE(name.toStdString());
        EXPECT_TRUE(near(background, palette.color(QPalette::Window), 2)
                    || near(background, palette.color(QPalette::Base), 2))
                << "dominant colour " << QColor(background).name().toStdString();
        EXPECT_FALSE(near(background, text, 60));
        EXPECT_GT(textPixels, 500);
        EXPECT_LT(textPixels, rendering.image.width() * rendering.image.height() / 4);
    }
}

TEST(Rendering, ChineseTextHasGlyphsInTheCjkFont)
{
    const QFont font(kCjkFamily);
    const QFontMetrics metrics(font);

    ASSERT_TRUE(QFontDatabase::hasFamily(kCjkFamily)) << "install fonts-noto-cjk";
    for (const char32_t character : U"你是人工智能助手") {
        if (character != 0) {
            EXPECT_TRUE(metrics.inFontUcs4(character)) << std::hex << unsigned(character);
        }
    }
    EXPECT_GT(metrics.horizontalAdvance(u"你是人工智能助手"_s), 0);
}

TEST(Theme, SchemeOfReadsTheWindowColour)
{
    QPalette dim;
    dim.setColor(QPalette::Window, QColor(0x30, 0x30, 0x30));
    QPalette bright;
    bright.setColor(QPalette::Window, QColor(0xee, 0xee, 0xee));

    EXPECT_EQ(schemeOf(dim), ColorScheme::Dark);
    EXPECT_EQ(schemeOf(bright), ColorScheme::Light);
    EXPECT_EQ(schemeOf(darkPalette()), ColorScheme::Dark);
    EXPECT_EQ(schemeOf(lightPalette()), ColorScheme::Light);
}

TEST(Theme, PalettesKeepTextReadable)
{
    for (const QPalette &palette : {lightPalette(), darkPalette()}) {
        const double window = luminance(palette.color(QPalette::Window).rgb());
        const double text = luminance(palette.color(QPalette::WindowText).rgb());
        const double base = luminance(palette.color(QPalette::Base).rgb());
        const double baseText = luminance(palette.color(QPalette::Text).rgb());

        EXPECT_GT(std::abs(window - text), 150.0);
        EXPECT_GT(std::abs(base - baseText), 150.0);
    }
}

TEST(Theme, ChoiceFromNameIgnoresCaseAndFallsBackToSystem)
{
    EXPECT_EQ(themeChoiceFromName(u"Dark"_s), ThemeChoice::Dark);
    EXPECT_EQ(themeChoiceFromName(u" light "_s), ThemeChoice::Light);
    EXPECT_EQ(themeChoiceFromName(u"system"_s), ThemeChoice::System);
    EXPECT_EQ(themeChoiceFromName(u"purple"_s), ThemeChoice::System);
    EXPECT_EQ(themeChoiceFromName({}), ThemeChoice::System);
    EXPECT_EQ(themeChoiceFromName(themeChoiceName(ThemeChoice::Dark)), ThemeChoice::Dark);
}

TEST(Theme, DarkChoiceUsesFusionWithTheDarkPalette)
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    ASSERT_NE(app, nullptr);

    applyTheme(*app, ThemeChoice::Dark);

    EXPECT_EQ(QApplication::style()->name().toLower(), u"fusion"_s);
    EXPECT_EQ(QApplication::palette().color(QPalette::Window),
              darkPalette().color(QPalette::Window));
    EXPECT_EQ(QApplication::palette().color(QPalette::Text), darkPalette().color(QPalette::Text));
}

TEST(Theme, LightChoiceAfterDarkReturnsToThePlatformPalette)
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    ASSERT_NE(app, nullptr);
    applyTheme(*app, ThemeChoice::System);
    const QColor platformWindow = QApplication::palette().color(QPalette::Window);
    ASSERT_EQ(schemeOf(QApplication::palette()), ColorScheme::Light);

    applyTheme(*app, ThemeChoice::Dark);
    applyTheme(*app, ThemeChoice::Light);

    EXPECT_EQ(schemeOf(QApplication::palette()), ColorScheme::Light);
    EXPECT_EQ(QApplication::palette().color(QPalette::Window), platformWindow);
}

TEST(Theme, DarkChoiceOutlastsALightPaletteSetOverIt)
{
    auto *app = qobject_cast<QApplication *>(QCoreApplication::instance());
    ASSERT_NE(app, nullptr);
    applyTheme(*app, ThemeChoice::Dark);

    QApplication::setPalette(lightPalette());

    EXPECT_TRUE(
            QTest::qWaitFor([] { return schemeOf(QApplication::palette()) == ColorScheme::Dark; },
                            kWaitMs));
}

TEST(Rendering, TurnsFollowAThemeChangeWhileShown)
{
    using namespace Qt::StringLiterals;
    QWidget host;
    host.setPalette(lightPalette());
    auto *answer = new MessageWidget(MessageWidget::Role::Assistant, &host);
    answer->setFooter(u"The request failed."_s, true);
    answer->appendDelta(ChatDelta{u"Done."_s, u"Thinking it over."_s, {}, {}, {}, {}});
    answer->flush();
    host.show();
    const QList<QLabel *> labels = answer->findChildren<QLabel *>();
    const auto footerColour = [&labels] {
        for (QLabel *label : labels) {
            if (label->text() == u"The request failed."_s) {
                return label->palette().color(QPalette::WindowText);
            }
        }
        return QColor();
    };
    const QColor lightError = footerColour();
    const QColor lightReasoning = answer->reasoningBlock()->view()->palette().color(QPalette::Text);

    host.setPalette(darkPalette());
    const QColor darkError = footerColour();
    const QColor darkReasoning = answer->reasoningBlock()->view()->palette().color(QPalette::Text);

    EXPECT_NE(lightError, darkError);
    EXPECT_EQ(darkError, MessageWidget::errorColour(darkPalette()));
    EXPECT_NE(lightReasoning, darkReasoning);
    EXPECT_EQ(darkReasoning, darkPalette().color(QPalette::PlaceholderText));
}
