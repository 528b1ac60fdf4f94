#pragma once

#include <QObject>
#include <QString>

#include <atomic>

// The way the shared in-process store reaches one JobQueue handle in that handle's thread.
// Any thread may call post() or postCancel(); the signals are emitted in the thread the
// notifier lives in, through a queued call, so waiting coroutines resume in their own
// thread. Wake-ups are coalesced: many posts before the handle's thread runs give one
// `woken`, after which every waiter re-checks its condition.
//
// A waiter registers with the store, checks, then awaits `woken`; since `woken` is only
// ever emitted by a call queued to this thread, nothing can slip in between the check and
// the await, and a change made after the registration is never missed. close() emits
// `woken` at once, so waits resume (and see the notifier closed) before it is deleted.
class MemoryNotifier : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Thread-safe.
    void post();
    void postCancel(const QString &jobId);

    // Ends every wait at once (the handle is going away); called in the notifier's thread.
    void close();
    bool isClosed() const { return m_closed; }

Q_SIGNALS:
    void woken();
    void cancelRequested(const QString &jobId);

private:
    void deliver();

    std::atomic_bool m_pending {false};
    bool m_closed = false;
};
