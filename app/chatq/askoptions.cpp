#include "app/chatq/askoptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QUrl>

#include <cmath>

using namespace Qt::StringLiterals;

namespace {

const QString kDefaultBaseUrl = u"https://api.openai.com/v1"_s;

QString envOr(const char *name, const QString &fallback)
{
    const QString value = qEnvironmentVariable(name);
    return value.isEmpty() ? fallback : value;
}

void addAskOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(
            QCoreApplication::translate("chatq", "Ask one question and stream the answer."));
    parser.addHelpOption();
    parser.addOptions({
            {u"base-url"_s,
             QCoreApplication::translate("chatq",
                                         "OpenAI-compatible API base URL (default "
                                         "$OPENAI_BASE_URL, else %1).")
                     .arg(kDefaultBaseUrl),
             u"URL"_s},
            {u"model"_s,
             QCoreApplication::translate("chatq", "Model name (default $CHATQ_MODEL)."),
             u"NAME"_s},
            {u"api-key-env"_s,
             QCoreApplication::translate("chatq",
                                         "Name of the environment variable holding the API "
                                         "key (default OPENAI_API_KEY)."),
             u"VAR"_s,
             u"OPENAI_API_KEY"_s},
            {u"system"_s, QCoreApplication::translate("chatq", "System prompt."), u"TEXT"_s},
            {u"temperature"_s,
             QCoreApplication::translate("chatq", "Sampling temperature, 0 to 2."),
             u"X"_s},
            {u"max-tokens"_s,
             QCoreApplication::translate("chatq", "Most tokens to generate."),
             u"N"_s},
            {u"profile"_s,
             QCoreApplication::translate("chatq", "Profile name the job asks for."),
             u"NAME"_s,
             u"default"_s},
            {u"queue"_s,
             QCoreApplication::translate("chatq",
                                         "Queue URL: memory (default, or $CHATQ_QUEUE) or "
                                         "redis://…"),
             u"URL"_s},
            {u"reasoning"_s,
             QCoreApplication::translate("chatq", "Also write the reasoning to stderr.")},
            {u"json"_s,
             QCoreApplication::translate("chatq",
                                         "Print one JSON object when the job ends instead of "
                                         "the text.")},
    });
    parser.addPositionalArgument(
            u"prompt"_s,
            QCoreApplication::translate("chatq", "The question to ask; - reads it from stdin."));
}

// A prompt too long for the command line (Linux caps one argument near 128 KiB) comes on
// stdin: `chatq ask - < question.txt`.
QString readStandardInput()
{
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(input.readAll());
}

AskUsageError usage(const QString &message)
{
    return AskUsageError{message, false};
}

} // namespace

Result<AskOptions, AskUsageError> parseAskOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    addAskOptions(parser);
    if (!parser.parse(arguments)) {
        return usage(parser.errorText());
    }
    if (parser.isSet(u"help"_s)) {
        return AskUsageError{parser.helpText(), true};
    }

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        return usage(u"ask needs exactly one PROMPT argument (quote it, or - to read stdin)"_s);
    }
    QString prompt = positional.first();
    if (prompt == u"-"_s) {
        prompt = readStandardInput();
    }
    if (prompt.trimmed().isEmpty()) {
        return usage(u"the PROMPT is empty"_s);
    }

    AskOptions options;
    options.printReasoning = parser.isSet(u"reasoning"_s);
    options.printJson = parser.isSet(u"json"_s);
    options.queueUrl =
            parser.isSet(u"queue"_s) ? parser.value(u"queue"_s) : envOr("CHATQ_QUEUE", u"memory"_s);

    // Endpoint and key: the in-process worker's profile.
    const QString baseUrlText = parser.isSet(u"base-url"_s)
                                        ? parser.value(u"base-url"_s)
                                        : envOr("OPENAI_BASE_URL", kDefaultBaseUrl);
    const QUrl baseUrl(baseUrlText, QUrl::StrictMode);
    if (!baseUrl.isValid() || baseUrl.host().isEmpty()
        || (baseUrl.scheme() != u"http"_s && baseUrl.scheme() != u"https"_s)) {
        return usage(
                u"--base-url must be an http:// or https:// URL, got \"%1\""_s.arg(baseUrlText));
    }
    options.endpointGiven = parser.isSet(u"base-url"_s) || parser.isSet(u"api-key-env"_s);
    options.profile.name = parser.value(u"profile"_s);
    options.profile.baseUrl = baseUrl;
    const QString keyVariable = parser.value(u"api-key-env"_s);
    if (!keyVariable.isEmpty()) {
        options.profile.apiKey = qEnvironmentVariable(keyVariable.toLocal8Bit().constData());
    }

    // The request itself.
    ChatRequest &request = options.request;
    request.profile = options.profile.name;
    request.model = parser.isSet(u"model"_s) ? parser.value(u"model"_s)
                                             : qEnvironmentVariable("CHATQ_MODEL");
    if (request.model.isEmpty()) {
        return usage(u"no model: pass --model NAME or set CHATQ_MODEL"_s);
    }
    if (parser.isSet(u"system"_s)) {
        request.messages.append({u"system"_s, parser.value(u"system"_s), {}});
    }
    request.messages.append({u"user"_s, prompt, {}});

    if (parser.isSet(u"temperature"_s)) {
        bool ok = false;
        const double temperature = parser.value(u"temperature"_s).toDouble(&ok);
        if (!ok || !std::isfinite(temperature) || temperature < 0.0 || temperature > 2.0) {
            return usage(u"--temperature must be a number from 0 to 2"_s);
        }
        request.temperature = temperature;
    }
    if (parser.isSet(u"max-tokens"_s)) {
        bool ok = false;
        const int maxTokens = parser.value(u"max-tokens"_s).toInt(&ok);
        if (!ok || maxTokens <= 0) {
            return usage(u"--max-tokens must be a positive whole number"_s);
        }
        request.maxTokens = maxTokens;
    }
    return options;
}
