#pragma once

#include <QPalette>
#include <QString>

class QApplication;

// Light or dark, as a palette reads.
enum class ColorScheme {
    Light,
    Dark,
};

// What the user asked for: follow the desktop, or one scheme whatever the desktop does.
enum class ThemeChoice {
    System,
    Light,
    Dark,
};

// Dark when the palette's active window colour is darker than mid-grey.
ColorScheme schemeOf(const QPalette &palette);

// The app's own palettes, used with the Fusion style wherever the platform's look does not
// give the scheme wanted. Every role of every colour group is set.
QPalette lightPalette();
QPalette darkPalette();

// "system", "light" or "dark", in any case; anything else (an empty text too) is System.
ThemeChoice themeChoiceFromName(const QString &name);
QString themeChoiceName(ThemeChoice choice);

// Gives the application the look `choice` asks for, and keeps it when the desktop changes
// its scheme or palette while the app runs. Calling it again replaces the earlier choice.
//
// The platform's own style and palette stay whenever they already have the scheme wanted;
// otherwise the app switches to the Fusion style with lightPalette() or darkPalette().
// With System, the scheme wanted is:
// - Qt 6.5 and later: QStyleHints::colorScheme(), followed as it changes;
// - Windows before Qt 6.5: the AppsUseLightTheme value of the personalisation settings in the
//   registry, read again whenever Qt reports a theme or palette change;
// - elsewhere before Qt 6.5: none, the platform theme's palette is kept as it is.
void applyTheme(QApplication &app, ThemeChoice choice);
