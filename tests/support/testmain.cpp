// The one main() of every test binary: a Qt application with test-mode standard paths, so
// no test reads or writes the user's real settings, keychain fallbacks or history.

#include <gtest/gtest.h>

#ifdef CHATQUEUE_TEST_GUI
#  include <QApplication>
#else
#  include <QCoreApplication>
#endif
#include <QStandardPaths>

int main(int argc, char **argv)
{
    QStandardPaths::setTestModeEnabled(true);
#ifdef CHATQUEUE_TEST_GUI
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen"
                                                                    : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
#else
    QCoreApplication app(argc, argv);
#endif
    QCoreApplication::setOrganizationName(QStringLiteral("ChatQueueTests"));
    QCoreApplication::setApplicationName(QStringLiteral("chatqueue-tests"));

    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
