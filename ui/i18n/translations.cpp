#include "ui/i18n/translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLoggingCategory>
#include <QTranslator>

#include <memory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTranslations, "chatqueue.ui.i18n")

namespace {

std::unique_ptr<QTranslator> &appTranslator()
{
    static std::unique_ptr<QTranslator> translator;
    return translator;
}

std::unique_ptr<QTranslator> &qtTranslator()
{
    static std::unique_ptr<QTranslator> translator;
    return translator;
}

} // namespace

bool installTranslations(const QLocale &locale)
{
    removeTranslations();

    auto qt = std::make_unique<QTranslator>();
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        qtTranslator() = std::move(qt);
    }

    auto app = std::make_unique<QTranslator>();
    if (!app->load(locale, u"chatqueue"_s, u"_"_s, u":/i18n"_s)) {
        qCDebug(lcTranslations) << "no translation for" << locale.name();
        return false;
    }
    QCoreApplication::installTranslator(app.get());
    appTranslator() = std::move(app);
    qCInfo(lcTranslations) << "using the translation for" << locale.name();
    return true;
}

void removeTranslations()
{
    for (std::unique_ptr<QTranslator> *translator : {&appTranslator(), &qtTranslator()}) {
        if (*translator) {
            QCoreApplication::removeTranslator(translator->get());
            translator->reset();
        }
    }
}
