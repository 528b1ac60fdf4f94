#pragma once

// The behaviour every queue backend must show, as one value-parameterized GoogleTest suite.
// A test binary compiles queueconformance.cpp and instantiates the suite with its backends:
//
//     INSTANTIATE_TEST_SUITE_P(Memory, QueueConformance,
//                              ::testing::Values(QueueBackendFactory {u"memory"_s, [] {
//                                  return openQueueBackend(u"memory"_s, QString()).value();
//                              }}),
//                              queueBackendFactoryName);
//
// `open` is called once per test and must return a backend whose queue is empty.

#include "core/queue/jobqueue.h"

#include <gtest/gtest.h>

#include <QString>

#include <functional>
#include <memory>
#include <ostream>

struct QueueBackendFactory
{
    QString name; // letters and digits only: it becomes part of the test names
    std::function<std::shared_ptr<QueueBackend>()> open;
};

// Prints the factory's name, so test names read QueueConformance/Memory.
std::string queueBackendFactoryName(const ::testing::TestParamInfo<QueueBackendFactory> &info);
void PrintTo(const QueueBackendFactory &factory, std::ostream *out);

class QueueConformance : public ::testing::TestWithParam<QueueBackendFactory>
{
protected:
    void SetUp() override;
    void TearDown() override;

    // A request that names `profile` and carries `prompt` as its one user message.
    static ChatRequest request(const QString &prompt,
                               const QString &profile = QStringLiteral("default"));

    // The worker identity of these tests.
    static WorkerIdentity worker(const QStringList &profiles = {});

    // Claims the next job, failing the test when none comes within a few seconds.
    ClaimedJob claimOne(JobQueue &queue, const WorkerIdentity &identity = worker());

    std::shared_ptr<QueueBackend> m_backend;
    std::unique_ptr<JobQueue> m_client;
    std::unique_ptr<JobQueue> m_worker;
};
