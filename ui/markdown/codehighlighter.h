#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringView>

class QPalette;

// What a piece of code is, as far as colouring goes.
enum class CodeToken : int {
    Plain = 0,
    Keyword,
    Type,
    Literal, // true, false, null, None, nil
    String,
    Number,
    Comment,
    Preprocessor, // #include, decorators, annotations
    Function,
    Tag, // markup tags, CSS selectors, TOML tables
    Attribute,
    Key,      // JSON, YAML and TOML keys, CSS properties
    Variable, // shell and PowerShell variables
    Inserted, // diff
    Deleted,  // diff
    Hunk,     // diff headers and @@ lines
    Label,    // the language named above a code block
    Link,     // the Copy link above a code block
};

// The colours of code for a light or a dark background.
enum class CodeTheme {
    Light,
    Dark,
};

struct CodeSpan
{
    int start = 0;
    int length = 0;
    CodeToken token = CodeToken::Plain;
};

// A small table-driven tokenizer for the languages answers most often contain. It colours by
// lexical class only (keywords, types, strings, comments, numbers, …): it never parses, so
// it is cheap, never fails, and an unknown language simply stays plain.
class CodeHighlighter
{
public:
    // The canonical name of a language given by its Markdown info string or an alias ("py",
    // "c++", "sh", "yml" …), or an empty string when the language is not known.
    static QString canonicalLanguage(QStringView language);

    // The coloured spans of `code`, in order and not overlapping. Text outside every span is
    // plain.
    static QList<CodeSpan> highlight(QStringView language, QStringView code);

    // The colour of `token` on a background of `theme`; invalid for plain text, which keeps
    // the palette's text colour.
    static QColor colour(CodeToken token, CodeTheme theme);

    // Dark when the palette's window is dark (lightness below 128).
    static CodeTheme themeFor(const QPalette &palette);
};
