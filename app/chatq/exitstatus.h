#pragma once

// chatq's exit statuses, a contract with scripts (docs/chatq-json.md).
namespace exitstatus {

constexpr int kSucceeded = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;
constexpr int kSomeFailed = 3; // `chatq batch`: at least one request did not succeed
constexpr int kInterrupted = 130;

} // namespace exitstatus
