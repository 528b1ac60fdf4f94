// The desktop app: a chat window over the in-process queue, served by the app's own worker
// pool. Everything else lives in the core and ui libraries.

#include "core/queue/jobqueue.h"
#include "core/settings/appsettings.h"
#include "core/settings/profileregistry.h"
#include "core/settings/secretstore.h"
#include "core/worker/workerpool.h"
#include "ui/chat/chatwindow.h"
#include "ui/i18n/translations.h"
#include "ui/settings/providersettingspanel.h"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QLocale>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QStandardPaths>

#include <memory>

#include "logfile.h"

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcApp, "chatqueue.app")

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"ChatQueue"_s);
    QApplication::setApplicationName(u"ChatQueue"_s);
    QApplication::setApplicationVersion(QStringLiteral(CHATQUEUE_VERSION));
    QApplication::setDesktopFileName(u"chatqueue"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/chatqueue-256.png"_s));
    installTranslations(QLocale::system());

    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataDir);
    if (!LogFile::install(dataDir + u"/logs"_s)) {
        qCWarning(lcApp) << "cannot write the log file under" << dataDir;
    }
    qCInfo(lcApp) << "ChatQueue" << CHATQUEUE_VERSION << "starting; data in" << dataDir;

    auto backend = openQueueBackend(u"memory"_s, dataDir);
    if (!backend) {
        qCCritical(lcApp) << "cannot open the queue:" << backend.error().message;
        QMessageBox::critical(nullptr,
                              QApplication::translate("main", "ChatQueue"),
                              QApplication::translate("main",
                                                      "The job queue could not be "
                                                      "opened:\n%1")
                                      .arg(backend.error().message));
        return 1;
    }

    auto profiles = std::make_shared<ProfileRegistry>();
    AppSettings settings;
    SecretStore secrets(u"ChatQueue"_s);
    ChatWindow window(*backend, profiles, &settings, &secrets);

    // Workers start once the profile holds the stored key, so that a job restored from the
    // last session does not run without it.
    WorkerPool pool(*backend, profiles);
    ProviderSettingsPanel *panel = window.settingsPanel();
    if (panel->isReady()) {
        pool.start();
    } else {
        QObject::connect(panel,
                         &ProviderSettingsPanel::ready,
                         &pool,
                         &WorkerPool::start,
                         Qt::SingleShotConnection);
    }

    window.show();
    const int status = app.exec();
    qCInfo(lcApp) << "ChatQueue exiting";
    return status;
}
