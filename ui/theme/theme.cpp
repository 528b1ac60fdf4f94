#include "ui/theme/theme.h"

#include <QApplication>
#include <QEvent>
#include <QLoggingCategory>
#include <QPointer>
#include <QSettings>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

#include <optional>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTheme, "chatqueue.ui.theme")

namespace {

// The colours of one scheme. The disabled group is derived from them.
struct SchemeColours
{
    QColor window;
    QColor text;
    QColor base;
    QColor alternateBase;
    QColor button;
    QColor light;
    QColor midlight;
    QColor mid;
    QColor dark;
    QColor shadow;
    QColor highlight;
    QColor highlightedText;
    QColor link;
    QColor linkVisited;
    QColor placeholder;
    QColor toolTipBase;
    QColor disabledText;
    QColor brightText;
};

QPalette paletteFrom(const SchemeColours &c)
{
    QPalette palette;
    for (const auto group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled}) {
        const bool disabled = group == QPalette::Disabled;
        const QColor text = disabled ? c.disabledText : c.text;
        palette.setColor(group, QPalette::Window, c.window);
        palette.setColor(group, QPalette::WindowText, text);
        palette.setColor(group, QPalette::Base, disabled ? c.window : c.base);
        palette.setColor(group, QPalette::AlternateBase, c.alternateBase);
        palette.setColor(group, QPalette::Text, text);
        palette.setColor(group, QPalette::Button, c.button);
        palette.setColor(group, QPalette::ButtonText, text);
        palette.setColor(group, QPalette::BrightText, c.brightText);
        palette.setColor(group, QPalette::Light, c.light);
        palette.setColor(group, QPalette::Midlight, c.midlight);
        palette.setColor(group, QPalette::Mid, c.mid);
        palette.setColor(group, QPalette::Dark, c.dark);
        palette.setColor(group, QPalette::Shadow, c.shadow);
        palette.setColor(group, QPalette::Highlight, disabled ? c.mid : c.highlight);
        palette.setColor(group,
                         QPalette::HighlightedText,
                         disabled ? c.disabledText : c.highlightedText);
        palette.setColor(group, QPalette::Link, c.link);
        palette.setColor(group, QPalette::LinkVisited, c.linkVisited);
        palette.setColor(group,
                         QPalette::PlaceholderText,
                         disabled ? c.disabledText : c.placeholder);
        palette.setColor(group, QPalette::ToolTipBase, c.toolTipBase);
        palette.setColor(group, QPalette::ToolTipText, c.text);
    }

    // Selections in a window without focus stay visible, only quieter.
    palette.setColor(QPalette::Inactive, QPalette::Highlight, c.highlight.darker(115));
    return palette;
}

// What the desktop asks for when the user chose System; nothing when the platform's palette
// is to be kept as it is.
std::optional<ColorScheme> systemScheme()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    switch (QGuiApplication::styleHints()->colorScheme()) {
    case Qt::ColorScheme::Dark:
        return ColorScheme::Dark;
    case Qt::ColorScheme::Light:
        return ColorScheme::Light;
    case Qt::ColorScheme::Unknown:
        break;
    }
    return std::nullopt;
#elif defined(Q_OS_WIN)
    // Windows 10 1809 and later keep the "app mode" of Settings › Colours here; the value is
    // missing on older systems, which are light.
    const QSettings personalize(
            u"HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\"
            u"Personalize"_s,
            QSettings::NativeFormat);
    return personalize.value(u"AppsUseLightTheme"_s, 1).toInt() == 0 ? ColorScheme::Dark
                                                                     : ColorScheme::Light;
#else
    return std::nullopt;
#endif
}

// Holds the user's choice for the application's lifetime and puts the look right again
// whenever Qt reports that the desktop's theme or palette changed.
class ThemeKeeper : public QObject
{
public:
    explicit ThemeKeeper(QApplication *app)
        : QObject(app)
        , m_platformStyle(QApplication::style()->name())
    {
        app->installEventFilter(this);
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
        connect(QGuiApplication::styleHints(),
                &QStyleHints::colorSchemeChanged,
                this,
                &ThemeKeeper::scheduleUpdate);
#endif
    }

    void setChoice(ThemeChoice choice)
    {
        m_choice = choice;
        update();
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // ThemeChange reaches every top-level window; one update serves them all.
        if (event->type() == QEvent::ThemeChange
            || (watched == qApp && event->type() == QEvent::ApplicationPaletteChange)) {
            scheduleUpdate();
        }
        return QObject::eventFilter(watched, event);
    }

private:
    std::optional<ColorScheme> wantedScheme() const
    {
        switch (m_choice) {
        case ThemeChoice::Light:
            return ColorScheme::Light;
        case ThemeChoice::Dark:
            return ColorScheme::Dark;
        case ThemeChoice::System:
            break;
        }
        return systemScheme();
    }

    // Runs after the event that asked for it, so that setting a palette here never nests
    // inside Qt's own delivery of a palette change.
    void scheduleUpdate()
    {
        if (m_updateScheduled) {
            return;
        }
        m_updateScheduled = true;
        QMetaObject::invokeMethod(this, &ThemeKeeper::update, Qt::QueuedConnection);
    }

    // Sets a palette only when the look must change, so the change events it causes end
    // here instead of looping. A palette of the other scheme set over the app's own (by a
    // platform theme, say) is replaced again.
    void update()
    {
        m_updateScheduled = false;
        const std::optional<ColorScheme> wanted = wantedScheme();
        if (m_override && m_override == wanted && schemeOf(QApplication::palette()) == *wanted) {
            return;
        }
        if (m_override) {
            restorePlatformLook();
        }
        if (wanted && needsOwnLook(*wanted)) {
            applyOwnLook(*wanted);
        }
    }

    bool needsOwnLook(ColorScheme wanted) const
    {
#ifdef Q_OS_WIN
        // The native Windows style draws light controls whatever the palette says.
        if (wanted == ColorScheme::Dark) {
            return true;
        }
#endif
        return schemeOf(QApplication::palette()) != wanted;
    }

    void applyOwnLook(ColorScheme scheme)
    {
        qCInfo(lcTheme) << "using the Fusion style with the app's"
                        << (scheme == ColorScheme::Dark ? "dark" : "light") << "palette";
        m_override = scheme;
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QApplication::setPalette(scheme == ColorScheme::Dark ? darkPalette() : lightPalette());
    }

    void restorePlatformLook()
    {
        qCInfo(lcTheme) << "back to the platform's style" << m_platformStyle << "and palette";
        m_override.reset();
        if (QStyle *style = QStyleFactory::create(m_platformStyle)) {
            QApplication::setStyle(style);
        }

        // A palette that sets no role follows the platform theme again.
        QApplication::setPalette(QPalette());
    }

    const QString m_platformStyle;
    ThemeChoice m_choice = ThemeChoice::System;
    std::optional<ColorScheme> m_override;
    bool m_updateScheduled = false;
};

QPointer<ThemeKeeper> keeper;

} // namespace

ColorScheme schemeOf(const QPalette &palette)
{
    return palette.color(QPalette::Active, QPalette::Window).lightness() < 128 ? ColorScheme::Dark
                                                                               : ColorScheme::Light;
}

QPalette lightPalette()
{
    return paletteFrom({
            .window = QColor(0xf3, 0xf3, 0xf5),
            .text = QColor(0x1c, 0x1d, 0x21),
            .base = QColor(0xff, 0xff, 0xff),
            .alternateBase = QColor(0xe8, 0xec, 0xf2),
            .button = QColor(0xe9, 0xe9, 0xed),
            .light = QColor(0xff, 0xff, 0xff),
            .midlight = QColor(0xf0, 0xf0, 0xf3),
            .mid = QColor(0xb4, 0xb5, 0xbb),
            .dark = QColor(0x9a, 0x9b, 0xa1),
            .shadow = QColor(0x50, 0x51, 0x56),
            .highlight = QColor(0x2a, 0x6a, 0xd0),
            .highlightedText = QColor(0xff, 0xff, 0xff),
            .link = QColor(0x1a, 0x5f, 0xb4),
            .linkVisited = QColor(0x73, 0x3c, 0xaa),
            .placeholder = QColor(0x6e, 0x70, 0x77),
            .toolTipBase = QColor(0xff, 0xfb, 0xe6),
            .disabledText = QColor(0x9c, 0x9d, 0xa3),
            .brightText = QColor(0xc0, 0x1c, 0x28),
    });
}

QPalette darkPalette()
{
    return paletteFrom({
            .window = QColor(0x26, 0x27, 0x2b),
            .text = QColor(0xe4, 0xe5, 0xe9),
            .base = QColor(0x1b, 0x1c, 0x1f),
            .alternateBase = QColor(0x31, 0x33, 0x39),
            .button = QColor(0x33, 0x34, 0x39),
            .light = QColor(0x4c, 0x4d, 0x54),
            .midlight = QColor(0x3e, 0x3f, 0x45),
            .mid = QColor(0x2c, 0x2d, 0x31),
            .dark = QColor(0x17, 0x17, 0x1a),
            .shadow = QColor(0x0b, 0x0b, 0x0d),
            .highlight = QColor(0x3a, 0x7b, 0xdb),
            .highlightedText = QColor(0xff, 0xff, 0xff),
            .link = QColor(0x78, 0xb6, 0xff),
            .linkVisited = QColor(0xc0, 0x9b, 0xff),
            .placeholder = QColor(0x93, 0x95, 0x9c),
            .toolTipBase = QColor(0x3a, 0x3b, 0x41),
            .disabledText = QColor(0x6d, 0x6e, 0x75),
            .brightText = QColor(0xff, 0x7b, 0x72),
    });
}

ThemeChoice themeChoiceFromName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.compare(u"light"_s, Qt::CaseInsensitive) == 0) {
        return ThemeChoice::Light;
    }
    if (trimmed.compare(u"dark"_s, Qt::CaseInsensitive) == 0) {
        return ThemeChoice::Dark;
    }
    return ThemeChoice::System;
}

QString themeChoiceName(ThemeChoice choice)
{
    switch (choice) {
    case ThemeChoice::Light:
        return u"light"_s;
    case ThemeChoice::Dark:
        return u"dark"_s;
    case ThemeChoice::System:
        break;
    }
    return u"system"_s;
}

void applyTheme(QApplication &app, ThemeChoice choice)
{
    if (!keeper) {
        keeper = new ThemeKeeper(&app);
    }
    keeper->setChoice(choice);
}
