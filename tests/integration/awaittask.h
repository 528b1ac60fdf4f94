#pragma once

#include <QCoroTask>
#include <QEventLoop>

#include <optional>

// Runs the calling thread's event loop until `task` ends and returns its value. Unlike
// QCoro::waitFor it needs no default constructor, so it works with Result<T, E>.
template<typename T>
T awaitTask(QCoro::Task<T> task)
{
    std::optional<T> result;
    QEventLoop loop;
    auto run = [](QCoro::Task<T> inner, std::optional<T> &out, QEventLoop &done)
            -> QCoro::Task<void> {
        out.emplace(co_await std::move(inner));
        done.quit();
    };
    QCoro::Task<void> running = run(std::move(task), result, loop);
    if (!result) {
        loop.exec();
    }
    return std::move(*result);
}

inline void awaitTask(QCoro::Task<void> task)
{
    bool finished = false;
    QEventLoop loop;
    auto run = [](QCoro::Task<void> inner, bool &out, QEventLoop &done) -> QCoro::Task<void> {
        co_await std::move(inner);
        out = true;
        done.quit();
    };
    QCoro::Task<void> running = run(std::move(task), finished, loop);
    if (!finished) {
        loop.exec();
    }
}
