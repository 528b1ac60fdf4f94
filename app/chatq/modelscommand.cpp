#include "app/chatq/modelscommand.h"

#include "app/chatq/consoleoutput.h"
#include "app/chatq/exitstatus.h"
#include "app/chatq/provideroptions.h"
#include "app/chatq/queueoption.h"
#include "core/provider/modelsclient.h"
#include "core/settings/profilesfile.h"
#include "core/settings/secretstore.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("chatq", text);
}

void addModelsOptions(QCommandLineParser &parser)
{
    parser.setApplicationDescription(tr("List the models a profile's provider offers."));
    parser.addOptions({
            {u"profile"_s,
             tr("Profile to ask, from --profiles (default \"default\")."),
             u"NAME"_s,
             u"default"_s},
            {u"profiles"_s, tr("JSON file of profiles, as `chatq worker` reads it."), u"FILE"_s},
            {u"base-url"_s,
             tr("OpenAI-compatible API base URL (default $OPENAI_BASE_URL, else %1).")
                     .arg(defaultBaseUrl()),
             u"URL"_s},
            {u"api-key-env"_s,
             tr("Name of the environment variable holding the API key (default "
                "OPENAI_API_KEY)."),
             u"VAR"_s,
             u"OPENAI_API_KEY"_s},
            {u"json"_s, tr("Print one JSON array of the ids instead of one id per line.")},
    });
}

// The named entry of a profiles file, with its key from the environment or the keychain,
// as a worker serving that profile would resolve it.
QCoro::Task<Result<ProviderProfile, QString>> profileFromFile(QString path, QString name)
{
    const auto entries = readProfilesFile(path);
    if (!entries) {
        co_return entries.error();
    }
    for (ProfileEntry entry : entries.value()) {
        if (entry.profile.name != name) {
            continue;
        }
        if (!entry.apiKeyEnv.isEmpty()) {
            entry.profile.apiKey = qEnvironmentVariable(entry.apiKeyEnv.toLocal8Bit().constData());
        } else if (!entry.apiKeyKeychain.isEmpty()) {
            SecretStore secrets(u"ChatQueue"_s);
            const auto key = co_await secrets.read(entry.apiKeyKeychain);
            if (!key || key.value().isEmpty()) {
                co_return u"profile \"%1\": no key in the keychain under \"%2\""_s.arg(
                        name,
                        entry.apiKeyKeychain);
            }
            entry.profile.apiKey = key.value();
        }
        co_return entry.profile;
    }
    co_return u"%1 has no profile named \"%2\""_s.arg(path, name);
}

} // namespace

QCoro::Task<int> runModels(QStringList arguments)
{
    QCommandLineParser parser;
    addModelsOptions(parser);
    if (const auto exit = parseCommandLine(parser, arguments, 0)) {
        co_return *exit;
    }
    if (parser.isSet(u"profiles"_s) && parser.isSet(u"base-url"_s)) {
        console::err(u"chatq models: give either --profiles or --base-url, not both\n"_s);
        co_return exitstatus::kUsage;
    }

    Result<ProviderProfile, QString> profile = profileFromOptions(parser);
    if (parser.isSet(u"profiles"_s)) {
        profile = co_await profileFromFile(parser.value(u"profiles"_s), parser.value(u"profile"_s));
    }
    if (!profile) {
        console::err(u"chatq models: %1\n"_s.arg(profile.error()));
        co_return exitstatus::kUsage;
    }

    QNetworkAccessManager network;
    const auto models = co_await ModelsClient::list(&network, profile.value());
    if (!models) {
        // The same words and status as a failed `ask`: the kind, the HTTP status and what
        // the provider said.
        console::err(u"chatq models: %1\n"_s.arg(models.error().toDisplayString()));
        co_return exitstatus::kFailed;
    }

    if (parser.isSet(u"json"_s)) {
        const QJsonArray ids = QJsonArray::fromStringList(models.value());
        console::out(QString::fromUtf8(QJsonDocument(ids).toJson(QJsonDocument::Compact)) + u'\n');
    } else {
        for (const QString &id : models.value()) {
            console::out(id + u'\n');
        }
    }
    co_return exitstatus::kSucceeded;
}
