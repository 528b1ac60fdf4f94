#pragma once

#include <QString>

#include <cstdint>

// The app's log: every Qt message goes to `<folder>/chatqueue.log` as well as to stderr.
// When the file passes `maxBytes` it becomes chatqueue.log.1 (older ones move up, the
// oldest beyond `keep` is deleted). Text that looks like a credential — a bearer token, an
// "sk-…" key — is masked before it is written, as a last line of defence: the code never
// logs a key on purpose.
namespace LogFile {

// Installs the message handler for the whole process. Call once, from main().
bool install(const QString &folder, std::int64_t maxBytes = 2 * 1024 * 1024, int keep = 3);

// The file being written, empty before install().
QString path();

// Masks what looks like a credential in one line of log text.
QString redact(const QString &text);

} // namespace LogFile
