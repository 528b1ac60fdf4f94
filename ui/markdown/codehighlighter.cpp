#include "ui/markdown/codehighlighter.h"

#include <QHash>
#include <QPalette>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// How a language is cut into tokens: most share the generic scanner below and differ only
// in their word lists and comment and string syntax; a few have a scanner of their own.
enum class Scanner {
    Generic,
    Json,
    Yaml,
    Toml,
    Markup,
    Css,
    Diff,
    Markdown,
};

struct LanguageSpec
{
    const char *name;
    const char *aliases;
    Scanner scanner = Scanner::Generic;
    const char *keywords = "";
    const char *types = "";
    const char *literals = "";
    const char *lineComment = "";  // space-separated
    const char *blockComment = ""; // "start end"
    const char *quotes = "\"'";
    bool tripleQuotes = false;       // Python, Kotlin, Swift, TOML
    bool multilineBackticks = false; // JS template literals, Go raw strings
    bool preprocessor = false;       // '#' directives at the start of a line
    bool annotations = false;        // @Name
    bool caseInsensitive = false;    // SQL
    bool variables = false;          // $name
    bool capitalisedTypes = false;   // Name is a type by convention
    bool rawSingleQuotes = false;    // shell: no escapes inside '…'
};

constexpr const char *kCKeywords =
        "auto break case const continue default do else enum extern for goto if inline "
        "register restrict return sizeof static struct switch typedef union volatile while "
        "_Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local";
constexpr const char *kCTypes =
        "void char short int long float double signed unsigned bool _Bool size_t ssize_t "
        "ptrdiff_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t "
        "intptr_t uintptr_t wchar_t FILE";
constexpr const char *kCppKeywords =
        "alignas alignof and asm auto break case catch class co_await co_return co_yield "
        "concept const consteval constexpr constinit const_cast continue decltype default "
        "delete do dynamic_cast else enum explicit export extern final for friend goto if "
        "import inline module mutable namespace new noexcept not operator or override "
        "private protected public register reinterpret_cast requires return sizeof static "
        "static_assert static_cast struct switch template this thread_local throw try "
        "typedef typeid typename union using virtual volatile while";
constexpr const char *kCppTypes =
        "void char char8_t char16_t char32_t short int long float double signed unsigned "
        "bool size_t ssize_t ptrdiff_t int8_t int16_t int32_t int64_t uint8_t uint16_t "
        "uint32_t uint64_t wchar_t std string vector map unordered_map set optional variant "
        "unique_ptr shared_ptr array span string_view";
constexpr const char *kCLiterals = "true false NULL nullptr";

constexpr const char *kCSharpKeywords =
        "abstract as async await base break case catch checked class const continue "
        "default delegate do else enum event explicit extern finally fixed for foreach get "
        "goto if implicit in init interface internal is lock namespace new operator out "
        "override params partial private protected public readonly record ref required "
        "return sealed set sizeof stackalloc static struct switch this throw try typeof "
        "unchecked unsafe using var virtual volatile when where while yield";
constexpr const char *kCSharpTypes =
        "bool byte char decimal double dynamic float int long nint nuint object sbyte short "
        "string uint ulong ushort void";

constexpr const char *kJavaKeywords =
        "abstract assert break case catch class const continue default do else enum extends "
        "final finally for goto if implements import instanceof interface native new "
        "package permits private protected public record return sealed static strictfp super "
        "switch synchronized this throw throws transient try var volatile while yield";
constexpr const char *kJavaTypes = "boolean byte char double float int long short void";
constexpr const char *kNullLiterals = "true false null";

constexpr const char *kJsKeywords =
        "as async await break case catch class const continue debugger default delete do "
        "else export extends finally for from function get if import in instanceof let new "
        "of return set static super switch this throw try typeof var void while with yield";
constexpr const char *kTsKeywords =
        "abstract as async await break case catch class const continue debugger declare "
        "default delete do else enum export extends finally for from function get if "
        "implements import in infer instanceof interface is keyof let namespace new of "
        "private protected public readonly return satisfies set static super switch this "
        "throw try type typeof var void while with yield";
constexpr const char *kTsTypes =
        "any bigint boolean never number object string symbol unknown void";
constexpr const char *kJsLiterals = "true false null undefined NaN Infinity";

constexpr const char *kPythonKeywords =
        "and as assert async await break class continue def del elif else except finally "
        "for from global if import in is lambda match nonlocal not or pass raise return try "
        "while with yield case";
constexpr const char *kPythonTypes =
        "int float str bytes bool list dict set tuple object complex frozenset bytearray "
        "type self cls";
constexpr const char *kPythonLiterals = "True False None";

constexpr const char *kGoKeywords =
        "break case chan const continue default defer else fallthrough for func go goto if "
        "import interface map package range return select struct switch type var";
constexpr const char *kGoTypes =
        "bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 "
        "rune string uint uint8 uint16 uint32 uint64 uintptr any";
constexpr const char *kGoLiterals = "true false nil iota";

constexpr const char *kRustKeywords =
        "as async await break const continue crate dyn else enum extern fn for if impl in "
        "let loop match mod move mut pub ref return self static struct super trait type "
        "unsafe use where while";
constexpr const char *kRustTypes =
        "bool char f32 f64 i8 i16 i32 i64 i128 isize str u8 u16 u32 u64 u128 usize Self "
        "String Vec Option Result Box";
constexpr const char *kRustLiterals = "true false None Some Ok Err";

constexpr const char *kKotlinKeywords =
        "abstract as break by catch class companion const constructor continue data do else "
        "enum finally for fun if import in init inline interface internal is lateinit "
        "object open operator out override package private protected public return sealed "
        "super suspend this throw try typealias val var when where while";
constexpr const char *kSwiftKeywords =
        "actor as associatedtype async await break case catch class continue default defer "
        "deinit do else enum extension fallthrough fileprivate final for func guard if "
        "import in init inout internal is let mutating open operator override private "
        "protocol public repeat rethrows return some static struct subscript super switch "
        "throw throws try typealias var where while";
constexpr const char *kNilLiterals = "true false nil null";

constexpr const char *kShellKeywords =
        "if then else elif fi for while until do done case esac in function return select "
        "time local export readonly declare unset shift break continue exit source alias "
        "echo printf read cd test set trap eval exec";
constexpr const char *kPowerShellKeywords =
        "begin break catch class continue data do dynamicparam else elseif end enum exit "
        "filter finally for foreach function if in param process return switch throw trap "
        "try until using while";
constexpr const char *kPowerShellLiterals = "$true $false $null";

constexpr const char *kSqlKeywords =
        "add all alter and any as asc begin between by case check column commit constraint "
        "create cross database default delete desc distinct drop else end exists foreign "
        "from full group having if in index inner insert intersect into is join key left "
        "like limit not offset on or order outer primary references replace returning "
        "right rollback select set table then transaction truncate union unique update "
        "using values view when where with over partition";
constexpr const char *kSqlTypes =
        "bigint binary bit blob boolean char date datetime decimal double float int integer "
        "interval json jsonb numeric real serial smallint text time timestamp uuid varchar";
constexpr const char *kSqlLiterals = "true false null";

constexpr const char *kRubyKeywords =
        "alias and begin break case class def defined? do else elsif end ensure for if in "
        "module next not or redo rescue retry return self super then undef unless until "
        "when while yield require attr_accessor attr_reader";

constexpr const char *kCssKeywords = "@media @import @keyframes @font-face @supports !important";

const LanguageSpec kLanguages[] = {
        {.name = "c",
         .aliases = "c h",
         .keywords = kCKeywords,
         .types = kCTypes,
         .literals = kCLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .preprocessor = true},
        {.name = "cpp",
         .aliases = "cpp c++ cxx cc hpp hxx h++ cuda objective-c objc",
         .keywords = kCppKeywords,
         .types = kCppTypes,
         .literals = kCLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .preprocessor = true},
        {.name = "csharp",
         .aliases = "csharp c# cs",
         .keywords = kCSharpKeywords,
         .types = kCSharpTypes,
         .literals = kNullLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .preprocessor = true,
         .capitalisedTypes = true},
        {.name = "java",
         .aliases = "java",
         .keywords = kJavaKeywords,
         .types = kJavaTypes,
         .literals = kNullLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .annotations = true,
         .capitalisedTypes = true},
        {.name = "javascript",
         .aliases = "javascript js jsx mjs cjs node",
         .keywords = kJsKeywords,
         .literals = kJsLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .quotes = "\"'`",
         .multilineBackticks = true,
         .annotations = true},
        {.name = "typescript",
         .aliases = "typescript ts tsx",
         .keywords = kTsKeywords,
         .types = kTsTypes,
         .literals = kJsLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .quotes = "\"'`",
         .multilineBackticks = true,
         .annotations = true,
         .capitalisedTypes = true},
        {.name = "python",
         .aliases = "python py python3 py3 pyi gyp ipython",
         .keywords = kPythonKeywords,
         .types = kPythonTypes,
         .literals = kPythonLiterals,
         .lineComment = "#",
         .tripleQuotes = true,
         .annotations = true},
        {.name = "go",
         .aliases = "go golang",
         .keywords = kGoKeywords,
         .types = kGoTypes,
         .literals = kGoLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .quotes = "\"'`",
         .multilineBackticks = true},
        {.name = "rust",
         .aliases = "rust rs",
         .keywords = kRustKeywords,
         .types = kRustTypes,
         .literals = kRustLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .quotes = "\"",
         .capitalisedTypes = true},
        {.name = "kotlin",
         .aliases = "kotlin kt kts",
         .keywords = kKotlinKeywords,
         .literals = kNilLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .tripleQuotes = true,
         .annotations = true,
         .capitalisedTypes = true},
        {.name = "swift",
         .aliases = "swift",
         .keywords = kSwiftKeywords,
         .literals = kNilLiterals,
         .lineComment = "//",
         .blockComment = "/* */",
         .quotes = "\"",
         .tripleQuotes = true,
         .annotations = true,
         .capitalisedTypes = true},
        {.name = "ruby",
         .aliases = "ruby rb",
         .keywords = kRubyKeywords,
         .literals = kNilLiterals,
         .lineComment = "#",
         .capitalisedTypes = true},
        {.name = "bash",
         .aliases = "bash sh shell zsh ksh fish console shellsession terminal",
         .keywords = kShellKeywords,
         .literals = "true false",
         .lineComment = "#",
         .variables = true,
         .rawSingleQuotes = true},
        {.name = "powershell",
         .aliases = "powershell ps ps1 pwsh psm1",
         .keywords = kPowerShellKeywords,
         .literals = kPowerShellLiterals,
         .lineComment = "#",
         .blockComment = "<# #>",
         .caseInsensitive = true,
         .variables = true,
         .rawSingleQuotes = true},
        {.name = "sql",
         .aliases = "sql mysql postgresql postgres psql sqlite plsql tsql",
         .keywords = kSqlKeywords,
         .types = kSqlTypes,
         .literals = kSqlLiterals,
         .lineComment = "--",
         .blockComment = "/* */",
         .caseInsensitive = true},
        {.name = "json",
         .aliases = "json jsonc json5 jsonl geojson ipynb",
         .scanner = Scanner::Json,
         .literals = "true false null",
         .lineComment = "//",
         .blockComment = "/* */"},
        {.name = "yaml",
         .aliases = "yaml yml",
         .scanner = Scanner::Yaml,
         .literals = "true false null yes no on off ~",
         .lineComment = "#"},
        {.name = "toml",
         .aliases = "toml ini cfg conf",
         .scanner = Scanner::Toml,
         .literals = "true false",
         .lineComment = "# ;",
         .tripleQuotes = true},
        {.name = "html", .aliases = "html htm xhtml vue svelte", .scanner = Scanner::Markup},
        {.name = "xml",
         .aliases = "xml svg xaml plist xsd xsl wsdl rss atom csproj wxs qrc ui",
         .scanner = Scanner::Markup},
        {.name = "css",
         .aliases = "css scss less sass",
         .scanner = Scanner::Css,
         .keywords = kCssKeywords,
         .blockComment = "/* */"},
        {.name = "diff", .aliases = "diff patch udiff", .scanner = Scanner::Diff},
        {.name = "markdown", .aliases = "markdown md mkd", .scanner = Scanner::Markdown},
};

// A language's word lists, split once.
struct Language
{
    const LanguageSpec *spec = nullptr;
    QSet<QString> keywords;
    QSet<QString> types;
    QSet<QString> literals;
    QStringList lineComments;
    QString blockStart;
    QString blockEnd;
    QString quotes;
};

QSet<QString> wordSet(const char *words, bool lowerCase)
{
    QSet<QString> set;
    const QStringList list = QString::fromLatin1(words).split(u' ', Qt::SkipEmptyParts);
    for (const QString &word : list) {
        set.insert(lowerCase ? word.toLower() : word);
    }
    return set;
}

struct Registry
{
    QList<Language> languages;
    QHash<QString, int> byAlias;

    Registry()
    {
        for (const LanguageSpec &spec : kLanguages) {
            Language language;
            language.spec = &spec;
            language.keywords = wordSet(spec.keywords, spec.caseInsensitive);
            language.types = wordSet(spec.types, spec.caseInsensitive);
            language.literals = wordSet(spec.literals, spec.caseInsensitive);
            language.lineComments =
                    QString::fromLatin1(spec.lineComment).split(u' ', Qt::SkipEmptyParts);
            const QStringList block =
                    QString::fromLatin1(spec.blockComment).split(u' ', Qt::SkipEmptyParts);
            if (block.size() == 2) {
                language.blockStart = block.at(0);
                language.blockEnd = block.at(1);
            }
            language.quotes = QString::fromLatin1(spec.quotes);

            const QStringList aliases =
                    QString::fromLatin1(spec.aliases).split(u' ', Qt::SkipEmptyParts);
            for (const QString &alias : aliases) {
                byAlias.insert(alias, int(languages.size()));
            }
            languages.append(language);
        }
    }

    // Info strings sometimes carry more than a language: "js:app.js", "python{.numbered}".
    const Language *find(QStringView name) const
    {
        name = name.trimmed();
        for (qsizetype i = 1; i < name.size(); ++i) {
            if (QStringView(u":{,;").contains(name[i])) {
                name = name.left(i);
                break;
            }
        }
        const auto it = byAlias.constFind(name.toString().toLower());
        return it == byAlias.cend() ? nullptr : &languages.at(*it);
    }
};

const Registry &registry()
{
    static const Registry instance;
    return instance;
}

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

// Collects spans and walks the text; every scanner below is written against it.
class Lexer
{
public:
    Lexer(QStringView text, QList<CodeSpan> *spans)
        : m_text(text)
        , m_spans(spans)
    {}

    QStringView text() const { return m_text; }

    int size() const { return int(m_text.size()); }

    QChar at(int i) const { return i >= 0 && i < size() ? m_text[i] : QChar(); }

    bool startsWith(int i, QStringView prefix) const
    {
        return !prefix.isEmpty() && m_text.mid(i).startsWith(prefix);
    }

    bool atLineStart(int i) const { return i == 0 || m_text[i - 1] == u'\n'; }

    int lineEnd(int i) const
    {
        const qsizetype end = m_text.indexOf(u'\n', i);
        return end < 0 ? size() : int(end);
    }

    // Skips spaces and tabs, not newlines.
    int skipBlanks(int i) const
    {
        while (i < size() && (m_text[i] == u' ' || m_text[i] == u'\t')) {
            ++i;
        }
        return i;
    }

    int wordEnd(int i) const
    {
        while (i < size() && isWordChar(m_text[i])) {
            ++i;
        }
        return i;
    }

    void add(int start, int end, CodeToken token)
    {
        if (end > start && token != CodeToken::Plain) {
            m_spans->append(CodeSpan{start, end - start, token});
        }
    }

    // A string from the quote at `i`: escapes skipped unless `raw`; it ends at its closing
    // quote, or at the end of the line unless `multiline`. Returns where it ends.
    int stringEnd(int i, QStringView quote, bool raw, bool multiline) const
    {
        int j = i + int(quote.size());
        while (j < size()) {
            if (!raw && m_text[j] == u'\\') {
                j += 2;
                continue;
            }
            if (startsWith(j, quote)) {
                return j + int(quote.size());
            }
            if (!multiline && m_text[j] == u'\n') {
                return j;
            }
            ++j;
        }
        return size();
    }

    // A number from `i`: digits, letters for hexadecimal and suffixes, a dot, an exponent.
    int numberEnd(int i) const
    {
        int j = i;
        while (j < size()) {
            const QChar c = m_text[j];
            const QChar previous = at(j - 1).toLower();
            const bool exponentSign = (c == u'+' || c == u'-') && (previous == u'e')
                                      && !startsWith(i, u"0x") && !startsWith(i, u"0X");
            if (c.isLetterOrNumber() || c == u'_' || exponentSign
                || (c == u'.' && at(j + 1).isDigit())) {
                ++j;
                continue;
            }
            break;
        }
        return j;
    }

private:
    QStringView m_text;
    QList<CodeSpan> *m_spans;
};

bool startsNumber(const Lexer &lexer, int i)
{
    const QChar c = lexer.at(i);
    if (isWordChar(lexer.at(i - 1))) {
        return false;
    }
    return c.isDigit() || (c == u'.' && lexer.at(i + 1).isDigit() && !lexer.at(i - 1).isDigit());
}

// The scanner that most languages use.
void scanGeneric(const Language &language, Lexer &lexer)
{
    const LanguageSpec &spec = *language.spec;
    int i = 0;
    while (i < lexer.size()) {
        const QChar c = lexer.at(i);

        // Preprocessor directives span their line and its backslash continuations.
        if (spec.preprocessor && c == u'#') {
            const int start = i;
            int lineStart = i;
            while (lineStart > 0
                   && (lexer.at(lineStart - 1) == u' ' || lexer.at(lineStart - 1) == u'\t')) {
                --lineStart;
            }
            if (lexer.atLineStart(lineStart)) {
                int end = lexer.lineEnd(i);
                while (end < lexer.size() && lexer.at(end - 1) == u'\\') {
                    end = lexer.lineEnd(end + 1);
                }
                lexer.add(start, end, CodeToken::Preprocessor);
                i = end;
                continue;
            }
        }

        if (!language.blockStart.isEmpty() && lexer.startsWith(i, language.blockStart)) {
            const qsizetype close =
                    lexer.text().indexOf(language.blockEnd, i + language.blockStart.size());
            const int end = close < 0 ? lexer.size() : int(close + language.blockEnd.size());
            lexer.add(i, end, CodeToken::Comment);
            i = end;
            continue;
        }

        bool comment = false;
        for (const QString &marker : language.lineComments) {
            // A '#' inside a word is no comment in a shell ("$#", "a#b").
            const bool wordBoundary = marker != u"#"_s || i == 0 || lexer.at(i - 1).isSpace();
            if (lexer.startsWith(i, marker) && wordBoundary) {
                comment = true;
                break;
            }
        }
        if (comment) {
            const int end = lexer.lineEnd(i);
            lexer.add(i, end, CodeToken::Comment);
            i = end;
            continue;
        }

        if (language.quotes.contains(c)) {
            const QString triple(3, c);
            const bool isTriple = spec.tripleQuotes && lexer.startsWith(i, triple);
            const bool raw = spec.rawSingleQuotes && c == u'\'';
            const bool multiline = isTriple || (c == u'`' && spec.multilineBackticks)
                                   || (spec.variables && c != u'`');
            const QString quote = isTriple ? triple : QString(c);
            const int end = lexer.stringEnd(i, quote, raw, multiline);
            lexer.add(i, end, CodeToken::String);
            i = end;
            continue;
        }

        if (startsNumber(lexer, i)) {
            const int end = lexer.numberEnd(i);
            lexer.add(i, end, CodeToken::Number);
            i = end;
            continue;
        }

        if (spec.variables && c == u'$') {
            int end = i + 1;
            if (lexer.at(end) == u'{') {
                const qsizetype close = lexer.text().indexOf(u'}', end);
                end = close < 0 ? lexer.lineEnd(i) : int(close + 1);
            } else if (isWordChar(lexer.at(end))) {
                end = lexer.wordEnd(end);
            } else if (QStringView(u"?#@*!$-0").contains(lexer.at(end))) {
                ++end;
            }
            const QString word = lexer.text().mid(i, end - i).toString().toLower();
            lexer.add(i,
                      end,
                      language.literals.contains(word) ? CodeToken::Literal : CodeToken::Variable);
            i = std::max(end, i + 1);
            continue;
        }

        if (spec.annotations && c == u'@' && isWordStart(lexer.at(i + 1))) {
            int end = lexer.wordEnd(i + 1);
            while (lexer.at(end) == u'.' && isWordStart(lexer.at(end + 1))) {
                end = lexer.wordEnd(end + 1);
            }
            lexer.add(i, end, CodeToken::Preprocessor);
            i = end;
            continue;
        }

        if (isWordStart(c)) {
            int end = lexer.wordEnd(i);

            // Python's string prefixes (f"", rb'') belong to the string.
            const QChar after = lexer.at(end);
            if (spec.tripleQuotes && end - i <= 2 && language.quotes.contains(after)
                && after != u'`') {
                const QString triple(3, after);
                const bool isTriple = lexer.startsWith(end, triple);
                const int stringEnd =
                        lexer.stringEnd(end, isTriple ? triple : QString(after), false, isTriple);
                lexer.add(i, stringEnd, CodeToken::String);
                i = stringEnd;
                continue;
            }

            // Shell and PowerShell words run on through dashes ("Get-Item", "--flag").
            if (spec.variables) {
                while (lexer.at(end) == u'-' && isWordChar(lexer.at(end + 1))) {
                    end = lexer.wordEnd(end + 1);
                }
            }

            const QString word = lexer.text().mid(i, end - i).toString();
            const QString key = spec.caseInsensitive ? word.toLower() : word;
            CodeToken token = CodeToken::Plain;
            if (language.keywords.contains(key)) {
                token = CodeToken::Keyword;
            } else if (language.types.contains(key)) {
                token = CodeToken::Type;
            } else if (language.literals.contains(key)) {
                token = CodeToken::Literal;
            } else if (lexer.at(lexer.skipBlanks(end)) == u'(' && !spec.variables) {
                token = CodeToken::Function;
            } else if (spec.capitalisedTypes && word.at(0).isUpper() && word.size() > 1
                       && word != word.toUpper()) {
                token = CodeToken::Type;
            }
            lexer.add(i, end, token);
            i = end;
            continue;
        }

        ++i;
    }
}

// JSON: keys apart from string values.
void scanJson(const Language &language, Lexer &lexer)
{
    int i = 0;
    while (i < lexer.size()) {
        const QChar c = lexer.at(i);
        if (lexer.startsWith(i, u"//") || lexer.startsWith(i, u"/*")) {
            const bool line = lexer.at(i + 1) == u'/';
            const qsizetype close = line ? lexer.lineEnd(i) : lexer.text().indexOf(u"*/", i + 2);
            const int end = close < 0 ? lexer.size() : int(close) + (line ? 0 : 2);
            lexer.add(i, end, CodeToken::Comment);
            i = end;
        } else if (c == u'"' || c == u'\'') {
            const int end = lexer.stringEnd(i, QString(c), false, false);
            int next = end;
            while (next < lexer.size() && lexer.at(next).isSpace()) {
                ++next;
            }
            lexer.add(i, end, lexer.at(next) == u':' ? CodeToken::Key : CodeToken::String);
            i = end;
        } else if (c.isDigit() || (c == u'-' && lexer.at(i + 1).isDigit())) {
            const int end = lexer.numberEnd(i + 1);
            lexer.add(i, end, CodeToken::Number);
            i = end;
        } else if (isWordStart(c)) {
            const int end = lexer.wordEnd(i);
            const bool literal =
                    language.literals.contains(lexer.text().mid(i, end - i).toString());
            lexer.add(i, end, literal ? CodeToken::Literal : CodeToken::Plain);
            i = end;
        } else {
            ++i;
        }
    }
}

// A scalar value in YAML or TOML: a quoted string, a number, a literal, or plain text.
void addScalar(const Language &language, Lexer &lexer, int start, int end)
{
    start = lexer.skipBlanks(start);
    while (end > start && lexer.at(end - 1).isSpace()) {
        --end;
    }
    if (start >= end) {
        return;
    }
    const QString value = lexer.text().mid(start, end - start).toString();
    bool isNumber = false;
    value.toDouble(&isNumber);
    if (language.literals.contains(value.toLower())) {
        lexer.add(start, end, CodeToken::Literal);
    } else if (isNumber) {
        lexer.add(start, end, CodeToken::Number);
    } else if (value.startsWith(u'&') || value.startsWith(u'*')) {
        lexer.add(start, end, CodeToken::Variable);
    } else if (value.startsWith(u'"') || value.startsWith(u'\'')) {
        lexer.add(start, end, CodeToken::String);
    }
}

// Where a '#' comment starts on a line of YAML or TOML, outside quotes; `end` if none.
int commentStart(const Language &language, Lexer &lexer, int start, int end)
{
    QChar quote;
    for (int i = start; i < end; ++i) {
        const QChar c = lexer.at(i);
        if (!quote.isNull()) {
            if (c == u'\\' && quote == u'"') {
                ++i;
            } else if (c == quote) {
                quote = QChar();
            }
            continue;
        }
        if (c == u'"' || c == u'\'') {
            quote = c;
            continue;
        }
        for (const QString &marker : language.lineComments) {
            if (lexer.startsWith(i, marker) && (i == start || lexer.at(i - 1).isSpace())) {
                return i;
            }
        }
    }
    return end;
}

// YAML and TOML, line by line: a comment, a key, a section or document marker, a value.
void scanKeyValue(const Language &language, Lexer &lexer, bool toml)
{
    int lineStart = 0;
    while (lineStart <= lexer.size()) {
        const int lineEnd = lexer.lineEnd(lineStart);
        const int comment = commentStart(language, lexer, lineStart, lineEnd);
        lexer.add(comment, lineEnd, CodeToken::Comment);

        int i = lexer.skipBlanks(lineStart);
        if (!toml) {
            while (lexer.at(i) == u'-' && (lexer.at(i + 1) == u' ' || i + 1 == comment)) {
                i = lexer.skipBlanks(i + 1);
            }
        }
        if (toml && lexer.at(i) == u'[') {
            lexer.add(i, comment, CodeToken::Tag);
        } else if (!toml && (lexer.startsWith(i, u"---") || lexer.startsWith(i, u"..."))) {
            lexer.add(i, comment, CodeToken::Preprocessor);
        } else {
            const QChar separator = toml ? u'=' : u':';
            int keyEnd = -1;
            for (int j = i; j < comment; ++j) {
                const QChar c = lexer.at(j);
                if (c == u'"' || c == u'\'') {
                    j = lexer.stringEnd(j, QString(c), c == u'\'', false) - 1;
                } else if (c == separator
                           && (toml || j + 1 >= comment || lexer.at(j + 1).isSpace())) {
                    keyEnd = j;
                    break;
                }
            }
            if (keyEnd > i) {
                lexer.add(i, keyEnd, CodeToken::Key);
                addScalar(language, lexer, keyEnd + 1, comment);
            } else if (keyEnd < 0) {
                addScalar(language, lexer, i, comment);
            }
        }
        lineStart = lineEnd + 1;
    }
}

// HTML and XML: tags, attribute names, attribute values, comments, entities.
void scanMarkup(Lexer &lexer)
{
    int i = 0;
    while (i < lexer.size()) {
        if (lexer.startsWith(i, u"<!--")) {
            const qsizetype close = lexer.text().indexOf(u"-->", i + 4);
            const int end = close < 0 ? lexer.size() : int(close + 3);
            lexer.add(i, end, CodeToken::Comment);
            i = end;
            continue;
        }
        const QChar c = lexer.at(i);
        if (c == u'&') {
            int end = i + 1;
            while (end < lexer.size()
                   && (lexer.at(end).isLetterOrNumber() || lexer.at(end) == u'#')) {
                ++end;
            }
            if (lexer.at(end) == u';') {
                lexer.add(i, end + 1, CodeToken::Literal);
                i = end + 1;
                continue;
            }
        }
        const QChar next = lexer.at(i + 1);
        if (c != u'<' || !(next.isLetter() || next == u'/' || next == u'!' || next == u'?')) {
            ++i;
            continue;
        }

        // The tag's name, then its attributes up to '>'.
        int j = i + 1;
        while (j < lexer.size() && !lexer.at(j).isSpace() && lexer.at(j) != u'>'
               && !(lexer.at(j) == u'/' && lexer.at(j + 1) == u'>')) {
            ++j;
        }
        lexer.add(i, j, CodeToken::Tag);
        while (j < lexer.size() && lexer.at(j) != u'>') {
            const QChar a = lexer.at(j);
            if (a == u'"' || a == u'\'') {
                const int end = lexer.stringEnd(j, QString(a), true, true);
                lexer.add(j, end, CodeToken::String);
                j = end;
            } else if (a == u'/' && lexer.at(j + 1) == u'>') {
                break;
            } else if (a.isLetter() || a == u'_' || a == u':' || a == u'@') {
                int end = j;
                while (end < lexer.size()
                       && (lexer.at(end).isLetterOrNumber()
                           || QStringView(u"-_:.@").contains(lexer.at(end)))) {
                    ++end;
                }
                lexer.add(j, end, CodeToken::Attribute);
                j = end;
            } else {
                ++j;
            }
        }
        const int close = lexer.at(j) == u'/' ? j + 2 : j + 1;
        lexer.add(j, std::min(close, lexer.size()), CodeToken::Tag);
        i = close;
    }
}

// CSS: selectors outside braces, property names and values inside.
void scanCss(Lexer &lexer)
{
    int depth = 0;
    bool inValue = false;
    int i = 0;
    while (i < lexer.size()) {
        const QChar c = lexer.at(i);
        if (lexer.startsWith(i, u"/*")) {
            const qsizetype close = lexer.text().indexOf(u"*/", i + 2);
            const int end = close < 0 ? lexer.size() : int(close + 2);
            lexer.add(i, end, CodeToken::Comment);
            i = end;
        } else if (c == u'"' || c == u'\'') {
            const int end = lexer.stringEnd(i, QString(c), false, false);
            lexer.add(i, end, CodeToken::String);
            i = end;
        } else if (c == u'{') {
            ++depth;
            inValue = false;
            ++i;
        } else if (c == u'}') {
            depth = std::max(0, depth - 1);
            inValue = false;
            ++i;
        } else if (c == u';') {
            inValue = false;
            ++i;
        } else if (c == u'@' || c == u'!') {
            int end = i + 1;
            while (end < lexer.size() && (isWordChar(lexer.at(end)) || lexer.at(end) == u'-')) {
                ++end;
            }
            lexer.add(i, end, CodeToken::Keyword);
            i = end;
        } else if (c == u'#' && inValue) {
            const int end = lexer.wordEnd(i + 1);
            lexer.add(i, end, CodeToken::Number);
            i = std::max(end, i + 1);
        } else if (inValue && (c.isDigit() || (c == u'.' && lexer.at(i + 1).isDigit()))
                   && !isWordChar(lexer.at(i - 1)) && lexer.at(i - 1) != u'-') {
            int end = lexer.numberEnd(i);
            if (lexer.at(end) == u'%') {
                ++end;
            }
            lexer.add(i, end, CodeToken::Number);
            i = end;
        } else if (isWordStart(c) || c == u'-' || c == u'.' || c == u'#' || c == u':') {
            int end = i + 1;
            while (end < lexer.size() && (isWordChar(lexer.at(end)) || lexer.at(end) == u'-')) {
                ++end;
            }
            const int after = lexer.skipBlanks(end);
            if (depth > 0 && !inValue && lexer.at(after) == u':') {
                lexer.add(i, end, CodeToken::Key);
                inValue = true;
            } else if (depth == 0 || (!inValue && lexer.at(after) == u'{')) {
                lexer.add(i, end, c == u'.' || c == u'#' ? CodeToken::Attribute : CodeToken::Tag);
            } else if (lexer.at(end) == u'(') {
                lexer.add(i, end, CodeToken::Function);
            }
            i = end;
        } else {
            ++i;
        }
    }
}

// Unified and context diffs, line by line.
void scanDiff(Lexer &lexer)
{
    int lineStart = 0;
    while (lineStart < lexer.size()) {
        const int lineEnd = lexer.lineEnd(lineStart);
        const QStringView line = lexer.text().mid(lineStart, lineEnd - lineStart);
        CodeToken token = CodeToken::Plain;
        if (line.startsWith(u"+++") || line.startsWith(u"---") || line.startsWith(u"@@")
            || line.startsWith(u"diff ") || line.startsWith(u"index ")) {
            token = CodeToken::Hunk;
        } else if (line.startsWith(u'+') || line.startsWith(u'>')) {
            token = CodeToken::Inserted;
        } else if (line.startsWith(u'-') || line.startsWith(u'<')) {
            token = CodeToken::Deleted;
        }
        lexer.add(lineStart, lineEnd, token);
        lineStart = lineEnd + 1;
    }
}

// Markdown shown as source: headings, list markers, code spans, fences.
void scanMarkdown(Lexer &lexer)
{
    int lineStart = 0;
    while (lineStart < lexer.size()) {
        const int lineEnd = lexer.lineEnd(lineStart);
        const int first = lexer.skipBlanks(lineStart);
        const QChar c = lexer.at(first);
        if (c == u'#') {
            lexer.add(first, lineEnd, CodeToken::Keyword);
        } else if (lexer.startsWith(first, u"```") || lexer.startsWith(first, u"~~~")) {
            lexer.add(first, lineEnd, CodeToken::String);
        } else {
            if ((c == u'-' || c == u'*' || c == u'+' || c == u'>') && lexer.at(first + 1) == u' ') {
                lexer.add(first, first + 1, CodeToken::Keyword);
            }
            int i = first;
            while (i < lineEnd) {
                if (lexer.at(i) == u'`') {
                    const qsizetype close = lexer.text().indexOf(u'`', i + 1);
                    if (close > i && close < lineEnd) {
                        lexer.add(i, int(close + 1), CodeToken::String);
                        i = int(close + 1);
                        continue;
                    }
                }
                ++i;
            }
        }
        lineStart = lineEnd + 1;
    }
}

// A colour as 0xRRGGBB, per token, for a light and a dark background.
struct TokenColours
{
    CodeToken token;
    QRgb light;
    QRgb dark;
};

// Each colour keeps a contrast of at least 4.5:1 against white (light) or #1e1e1e (dark).
constexpr TokenColours kColours[] = {
        {CodeToken::Keyword, 0x8a2fb8, 0xd6a0ff},
        {CodeToken::Type, 0x0b6a83, 0x5fd0e0},
        {CodeToken::Literal, 0x1f55c4, 0x86b6ff},
        {CodeToken::String, 0x2a7d1e, 0x9ad58a},
        {CodeToken::Number, 0xa34a00, 0xf3a866},
        {CodeToken::Comment, 0x6a7078, 0x9aa2ab},
        {CodeToken::Preprocessor, 0x8a5a00, 0xe3bd62},
        {CodeToken::Function, 0x3f4fbf, 0x9bb0ff},
        {CodeToken::Tag, 0x1f6b3a, 0x7edd98},
        {CodeToken::Attribute, 0x8a4a00, 0xf0b27a},
        {CodeToken::Key, 0x1a5fb4, 0x8cc4ff},
        {CodeToken::Variable, 0xa23b1d, 0xff9e7a},
        {CodeToken::Inserted, 0x1e7a2e, 0x84dd8c},
        {CodeToken::Deleted, 0xb3261e, 0xff9a92},
        {CodeToken::Hunk, 0x6b3fb0, 0xc3a6ff},
        {CodeToken::Label, 0x5f656d, 0xa3aab2},
        {CodeToken::Link, 0x1a5fb4, 0x8cc4ff},
};

} // namespace

QString CodeHighlighter::canonicalLanguage(QStringView language)
{
    const Language *found = registry().find(language);
    return found ? QString::fromLatin1(found->spec->name) : QString();
}

QList<CodeSpan> CodeHighlighter::highlight(QStringView language, QStringView code)
{
    QList<CodeSpan> spans;
    const Language *found = registry().find(language);
    if (!found) {
        return spans;
    }

    Lexer lexer(code, &spans);
    switch (found->spec->scanner) {
    case Scanner::Generic:
        scanGeneric(*found, lexer);
        break;
    case Scanner::Json:
        scanJson(*found, lexer);
        break;
    case Scanner::Yaml:
        scanKeyValue(*found, lexer, false);
        break;
    case Scanner::Toml:
        scanKeyValue(*found, lexer, true);
        break;
    case Scanner::Markup:
        scanMarkup(lexer);
        break;
    case Scanner::Css:
        scanCss(lexer);
        break;
    case Scanner::Diff:
        scanDiff(lexer);
        break;
    case Scanner::Markdown:
        scanMarkdown(lexer);
        break;
    }

    // The line scanners add a comment before what precedes it on the line.
    std::sort(spans.begin(), spans.end(), [](const CodeSpan &a, const CodeSpan &b) {
        return a.start < b.start;
    });
    return spans;
}

QColor CodeHighlighter::colour(CodeToken token, CodeTheme theme)
{
    for (const TokenColours &colours : kColours) {
        if (colours.token == token) {
            return QColor::fromRgb(theme == CodeTheme::Dark ? colours.dark : colours.light);
        }
    }
    return QColor();
}

CodeTheme CodeHighlighter::themeFor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? CodeTheme::Dark : CodeTheme::Light;
}
