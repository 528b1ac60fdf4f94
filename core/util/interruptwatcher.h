#pragma once

#include <QObject>

// Turns Ctrl+C, SIGTERM and (on Windows) closing the console into a Qt signal delivered on
// the thread that created the watcher, so a command can cancel its job and exit cleanly.
// One instance per process.
class InterruptWatcher : public QObject
{
    Q_OBJECT

public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    ~InterruptWatcher() override;

    // How many interrupts arrived so far; a second Ctrl+C means "stop waiting".
    int count() const;

    // True once the console window is closing (Windows): the process has a few seconds left,
    // so a command should shorten any grace period.
    bool isConsoleClosing() const;

    // Counts an interrupt and emits interrupted(); the platform handlers call it.
    void handleInterrupt(bool consoleClosing);

Q_SIGNALS:
    void interrupted();

private:
    int m_count = 0;
    bool m_consoleClosing = false;
};
