#include "core/chat/chatreply.h"

#include <algorithm>

bool ChatDelta::isEmpty() const
{
    return content.isEmpty() && reasoning.isEmpty() && refusal.isEmpty()
            && toolCallFragments.isEmpty() && !usage.known && finishReason.isEmpty();
}

namespace {

// Tool-call fragments carry the id, type and name once, then only argument text. Some
// providers repeat the id as "" on every continuation, which means "absent", not "clear".
void mergeToolCall(QList<ToolCall> &calls, const ToolCall &fragment)
{
    auto it = std::find_if(calls.begin(), calls.end(), [&](const ToolCall &call) {
        return call.index == fragment.index;
    });
    if (it == calls.end()) {
        calls.append(fragment);
        return;
    }

    if (it->id.isEmpty()) {
        it->id = fragment.id;
    }
    if (it->type.isEmpty()) {
        it->type = fragment.type;
    }
    it->name += fragment.name;
    it->arguments += fragment.arguments;
}

} // namespace

void ChatReply::apply(const ChatDelta &delta)
{
    content += delta.content;
    reasoning += delta.reasoning;
    refusal += delta.refusal;
    for (const ToolCall &fragment : delta.toolCallFragments) {
        mergeToolCall(toolCalls, fragment);
    }

    if (delta.usage.known) {
        usage = delta.usage;
    }
    if (!delta.finishReason.isEmpty()) {
        finishReason = delta.finishReason;
    }
}
