<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatWindow</name>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>ChatQueue</source>
        <translation>ChatQueue</translation>
    </message>
    <message>
        <source>Send (Ctrl+Enter)</source>
        <translation>发送（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Stop the answer; what arrived so far is kept</source>
        <translation>停止回答；已收到的内容会保留</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Provider settings</source>
        <translation>服务商设置</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Choose a model in the provider settings first.</source>
        <translation>请先在服务商设置中选择模型。</translation>
    </message>
    <message>
        <source>Queued…</source>
        <translation>排队中…</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Job %1: queued</source>
        <translation>任务 %1：排队中</translation>
    </message>
    <message>
        <source>Job %1: %2</source>
        <translation>任务 %1：%2</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stopped. The answer is incomplete.</source>
        <translation>已停止，回答不完整。</translation>
    </message>
    <message>
        <source>The queue failed: %1</source>
        <translation>任务队列出错：%1</translation>
    </message>
    <message>
        <source>New conversation.</source>
        <translation>已开始新对话。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Ask anything. Ctrl+Enter sends.</source>
        <translation>输入任何问题，按 Ctrl+Enter 发送。</translation>
    </message>
</context>
<context>
    <name>MarkdownRenderer</name>
    <message>
        <source>[image: %1]</source>
        <translation>[图片：%1]</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
</context>
<context>
    <name>ProviderSettingsPanel</name>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>The OpenAI-compatible endpoint; /chat/completions is appended.</source>
        <translation>兼容 OpenAI 的接口地址；请求时会在后面加上 /chat/completions。</translation>
    </message>
    <message>
        <source>e.g. gpt-4o-mini, deepseek-reasoner, qwen2.5</source>
        <translation>例如 gpt-4o-mini、deepseek-reasoner、qwen2.5</translation>
    </message>
    <message>
        <source>Leave empty for a local server without a key</source>
        <translation>本地服务无需密钥时留空</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>可选</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>接口地址</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Could not read the API key: %1</source>
        <translation>无法读取 API 密钥：%1</translation>
    </message>
    <message>
        <source>The base URL is not valid.</source>
        <translation>接口地址无效。</translation>
    </message>
    <message>
        <source>Settings applied, but the keychain refused the key: %1</source>
        <translation>设置已应用，但系统钥匙串拒绝保存密钥：%1</translation>
    </message>
    <message>
        <source>Settings applied. The API key is kept for this session only and will not be saved.</source>
        <translation>设置已应用。API 密钥只在本次运行期间保留，不会被保存。</translation>
    </message>
    <message>
        <source>Settings applied.</source>
        <translation>设置已应用。</translation>
    </message>
    <message>
        <source>No system keychain answered (%1).</source>
        <translation>系统钥匙串没有响应（%1）。</translation>
    </message>
</context>
<context>
    <name>ReasoningBlock</name>
    <message>
        <source>Show or hide the model's reasoning</source>
        <translation>显示或隐藏模型的思考过程</translation>
    </message>
    <message>
        <source>Reasoning…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Reasoning (%1 s)</source>
        <translation>思考过程（%1 秒）</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>思考过程</translation>
    </message>
</context>
<context>
    <name>SecretStore</name>
    <message>
        <source>The keychain did not answer.</source>
        <translation>钥匙串没有响应。</translation>
    </message>
    <message>
        <source>Kept in memory for this session only: it will not be saved.</source>
        <translation>仅在本次运行期间保留在内存中，退出后不会保存。</translation>
    </message>
    <message>
        <source>Saved in Windows Credential Manager.</source>
        <translation>保存在 Windows 凭据管理器中。</translation>
    </message>
    <message>
        <source>Saved in the macOS Keychain.</source>
        <translation>保存在 macOS 钥匙串中。</translation>
    </message>
    <message>
        <source>Saved in the system keychain (Secret Service).</source>
        <translation>保存在系统钥匙串（Secret Service）中。</translation>
    </message>
    <message>
        <source>The secret store was closed.</source>
        <translation>密钥存储已关闭。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>ChatQueue</source>
        <translation>ChatQueue</translation>
    </message>
    <message>
        <source>The job queue could not be opened:
%1</source>
        <translation>无法打开任务队列：
%1</translation>
    </message>
</context>
</TS>