#include "core/provider/chunkdecoder.h"

#include "core/provider/errorclassifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// How much of a bad payload an error message quotes.
constexpr qsizetype kQuotedBytes = 200;

QString quoted(QByteArrayView data)
{
    QString text = QString::fromUtf8(data.first(std::min(data.size(), kQuotedBytes)));
    if (data.size() > kQuotedBytes) {
        text += u'…';
    }
    return text;
}

// A status number from a JSON number or a numeric string ("429"); 0 otherwise.
int statusFrom(const QJsonValue &value)
{
    int status = 0;
    if (value.isDouble()) {
        status = value.toInt();
    } else if (value.isString()) {
        status = value.toString().toInt();
    }
    return status >= 100 && status <= 599 ? status : 0;
}

QString toolArguments(const QJsonValue &value)
{
    // Arguments are a JSON text; a few servers send the object itself.
    if (value.isObject()) {
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    }
    return value.toString();
}

QList<ToolCall> decodeToolCalls(const QJsonArray &calls)
{
    QList<ToolCall> fragments;
    for (qsizetype i = 0; i < calls.size(); ++i) {
        const QJsonObject object = calls.at(i).toObject();
        const QJsonObject function = object.value(u"function"_s).toObject();

        // The index is what ties fragments together; without one, the position stands in.
        ToolCall fragment;
        fragment.index = object.value(u"index"_s).toInt(int(i));
        fragment.id = object.value(u"id"_s).toString();
        fragment.type = object.value(u"type"_s).toString();
        fragment.name = function.value(u"name"_s).toString();
        fragment.arguments = toolArguments(function.value(u"arguments"_s));
        fragments.append(fragment);
    }
    return fragments;
}

} // namespace

DecodedChunk ChunkDecoder::decode(const SseEvent &event)
{
    return decode(event.type, event.data);
}

DecodedChunk ChunkDecoder::decode(QByteArrayView eventType, QByteArrayView data)
{
    DecodedChunk chunk;
    if (data.trimmed() == "[DONE]") {
        chunk.done = true;
        return chunk;
    }

    // Parse: an `event: error` may carry plain text; any other chunk must be a JSON object.
    const bool isErrorEvent = eventType == "error";
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(data.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        if (isErrorEvent) {
            chunk.error = errorFromJson(QString::fromUtf8(data.trimmed()));
        } else {
            chunk.error = ChatError::make(
                    ErrorKind::Protocol,
                    u"The provider sent a stream chunk that is not a JSON object: "_s
                            + quoted(data));
        }
        return chunk;
    }
    const QJsonObject root = document.object();

    // An error inside the stream: Groq names the event, OpenRouter puts `error` in a chunk
    // that may also carry choices and usage, which are still read below.
    const QJsonValue error = root.value(u"error"_s);
    if (isErrorEvent) {
        chunk.error = errorFromJson(error.isUndefined() || error.isNull() ? root : error);
    } else if (!error.isUndefined() && !error.isNull()) {
        chunk.error = errorFromJson(error);
    }

    // Choices: most chunks hold one; `n` > 1 interleaves them; usage-only and
    // content-filter chunks hold none.
    const QJsonArray choices = root.value(u"choices"_s).toArray();
    for (qsizetype i = 0; i < choices.size(); ++i) {
        const QJsonObject choice = choices.at(i).toObject();
        const int index = choice.value(u"index"_s).toInt(int(i));
        decodeChoice(choice, chunk.choices[index]);
    }

    // Usage: top level (OpenAI, vLLM, llama.cpp, OpenRouter…), else Groq's own block.
    chunk.usage = Usage::fromJson(root.value(u"usage"_s).toObject());
    if (!chunk.usage.known) {
        const QJsonObject groq = root.value(u"x_groq"_s).toObject();
        chunk.usage = Usage::fromJson(groq.value(u"usage"_s).toObject());
    }
    return chunk;
}

void ChunkDecoder::decodeChoice(const QJsonObject &choice, ChatDelta &out)
{
    // Azure's content-filter chunks have no `delta` at all; that reads as an empty one.
    const QJsonObject delta = choice.value(u"delta"_s).toObject();

    const QJsonValue content = delta.value(u"content"_s);
    if (content.isString()) {
        out.content += content.toString();
    } else if (content.isArray()) {
        decodeContentParts(content.toArray(), out);
    }

    decodeReasoning(delta, out);
    out.refusal += delta.value(u"refusal"_s).toString();
    out.toolCallFragments += decodeToolCalls(delta.value(u"tool_calls"_s).toArray());

    const QString finishReason = choice.value(u"finish_reason"_s).toString();
    if (!finishReason.isEmpty()) {
        out.finishReason = finishReason;
    }
}

void ChunkDecoder::decodeContentParts(const QJsonArray &parts, ChatDelta &out)
{
    for (const QJsonValue &value : parts) {
        const QJsonObject part = value.toObject();
        const QString type = part.value(u"type"_s).toString();
        if (type == "text"_L1) {
            out.content += part.value(u"text"_s).toString();
            continue;
        }
        if (type != "thinking"_L1) {
            continue;
        }

        // Mistral's thinking part holds its own list of text parts.
        const QJsonValue thinking = part.value(u"thinking"_s);
        QString text = thinking.toString();
        for (const QJsonValue &inner : thinking.toArray()) {
            text += inner.toObject().value(u"text"_s).toString();
        }
        if (!text.isEmpty()) {
            m_sawReasoningField = true;
            out.reasoning += text;
        }
    }
}

void ChunkDecoder::decodeReasoning(const QJsonObject &delta, ChatDelta &out)
{
    // A chunk with both names says the same text twice; take one.
    QString text = delta.value(u"reasoning_content"_s).toString();
    if (text.isEmpty()) {
        text = delta.value(u"reasoning"_s).toString();
    }
    if (!text.isEmpty()) {
        m_sawReasoningField = true;
        out.reasoning += text;
        return;
    }
    if (m_sawReasoningField) {
        return;
    }

    // Structured details, for streams that send nothing else. Encrypted entries carry no
    // readable text and are skipped.
    for (const QJsonValue &value : delta.value(u"reasoning_details"_s).toArray()) {
        const QJsonObject detail = value.toObject();
        const QJsonValue detailText = detail.value(u"text"_s);
        out.reasoning += detailText.isString() ? detailText.toString()
                                               : detail.value(u"summary"_s).toString();
    }
}

ChatError ChunkDecoder::errorFromJson(const QJsonValue &error)
{
    // Some servers send the bare message instead of an object.
    const QJsonObject object = error.isString() ? QJsonObject {{u"message"_s, error}}
                                                : error.toObject();

    // The status the error states, under whichever name this provider uses: Groq's
    // `status_code`, a numeric `status`, or OpenRouter's numeric `code`.
    int status = statusFrom(object.value(u"status_code"_s));
    if (status == 0) {
        status = statusFrom(object.value(u"status"_s));
    }
    if (status == 0) {
        status = statusFrom(object.value(u"code"_s));
    }
    return ErrorClassifier::fromErrorObject(object, status);
}
