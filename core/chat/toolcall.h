#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

// A function call the model asked for, assembled from its streamed fragments.
struct ToolCall
{
    int index = 0;
    QString id;
    QString type;
    QString name;
    QString arguments;

    QJsonObject toJson() const;
    static ToolCall fromJson(const QJsonObject &object);

    friend bool operator==(const ToolCall &, const ToolCall &) = default;
};

QJsonArray toolCallsToJson(const QList<ToolCall> &calls);
QList<ToolCall> toolCallsFromJson(const QJsonArray &array);
