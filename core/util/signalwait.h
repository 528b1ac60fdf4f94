#pragma once

#include <QCoroTask>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <coroutine>
#include <memory>

// Suspends the calling coroutine until `sender` emits `signal` or `timeout` passes; true
// when the signal came. The coroutine resumes inside the emission (a direct connection),
// so the signal must be emitted in the coroutine's thread.
//
// Why not qCoro(sender, signal, timeout): QCoro 0.8 resumes through a queued connection,
// and a signal emitted just before the timeout fires leaves a queued call behind that runs
// after the wait, and its frame, are gone. Here the connection and the timer are dropped
// together the moment either fires, so nothing can run late.
template<typename Sender, typename Signal>
class SignalWait
{
public:
    SignalWait(Sender *sender, Signal signal, std::chrono::milliseconds timeout)
        : m_sender(sender)
        , m_signal(signal)
        , m_timeout(timeout)
        , m_state(std::make_shared<State>())
    {
    }

    bool await_ready() const noexcept { return false; }

    void await_suspend(std::coroutine_handle<> waiting)
    {
        State *state = m_state.get();
        state->waiting = waiting;
        state->connection = QObject::connect(
                m_sender, m_signal, &state->timer, [state] { state->resume(true); },
                Qt::DirectConnection);
        QObject::connect(&state->timer, &QTimer::timeout, &state->timer,
                         [state] { state->resume(false); });
        state->timer.setSingleShot(true);
        state->timer.start(std::max(m_timeout, std::chrono::milliseconds::zero()));
    }

    bool await_resume() const noexcept { return m_state->signalled; }

private:
    // Shared, so the awaiter may be copied (as GCC does) without duplicating a connection.
    struct State
    {
        ~State() { QObject::disconnect(connection); }

        void resume(bool wasSignalled)
        {
            QObject::disconnect(connection);
            timer.stop();
            timer.disconnect();
            signalled = wasSignalled;
            waiting.resume();
        }

        QTimer timer;
        QMetaObject::Connection connection;
        std::coroutine_handle<> waiting;
        bool signalled = false;
    };

    Sender *m_sender;
    Signal m_signal;
    std::chrono::milliseconds m_timeout;
    std::shared_ptr<State> m_state;
};

// co_await signalOrTimeout(object, &Object::changed, 20ms) → bool
template<typename Sender, typename Signal>
SignalWait<Sender, Signal> signalOrTimeout(Sender *sender,
                                           Signal signal,
                                           std::chrono::milliseconds timeout)
{
    return SignalWait<Sender, Signal>(sender, signal, timeout);
}
