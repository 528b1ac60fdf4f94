<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnswerStats</name>
    <message>
        <source>1 token</source>
        <translation>1 个词元</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个词元</translation>
    </message>
    <message>
        <source>first token %1 s</source>
        <translation>首词元 %1 秒</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
</context>
<context>
    <name>ChatSession</name>
    <message>
        <source>The conversation&apos;s settings could not be saved: %1</source>
        <translation>无法保存对话设置：%1</translation>
    </message>
    <message>
        <source>The conversation is no longer in the history.</source>
        <translation>该对话已不在历史记录中。</translation>
    </message>
    <message>
        <source>Choose a model for this conversation first.</source>
        <translation>请先为此对话选择模型。</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>The conversation could not be saved: %1</source>
        <translation>无法保存对话：%1</translation>
    </message>
    <message>
        <source>The answer to regenerate is gone.</source>
        <translation>要重新生成的回答已不存在。</translation>
    </message>
    <message>
        <source>The message to edit is gone.</source>
        <translation>要编辑的消息已不存在。</translation>
    </message>
    <message>
        <source>The message could not be deleted: %1</source>
        <translation>无法删除消息：%1</translation>
    </message>
    <message>
        <source>Message deleted.</source>
        <translation>消息已删除。</translation>
    </message>
    <message>
        <source>The version could not be shown: %1</source>
        <translation>无法显示该版本：%1</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Stopped. The answer is incomplete.</source>
        <translation>已停止，回答不完整。</translation>
    </message>
    <message>
        <source>The request failed.</source>
        <translation>请求失败。</translation>
    </message>
    <message>
        <source>Queued…</source>
        <translation>排队中…</translation>
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
        <source>Trying again: %1</source>
        <translation>正在重试：%1</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>The queue failed: %1</source>
        <translation>任务队列出错：%1</translation>
    </message>
</context>
<context>
    <name>ChatStream</name>
    <message>
        <source>the request was cancelled</source>
        <translation>请求已取消</translation>
    </message>
    <message>
        <source>the response took longer than the limit of %1</source>
        <translation>响应时间超过了 %1 的上限</translation>
    </message>
    <message>
        <source>the network is shut down</source>
        <translation>网络已关闭</translation>
    </message>
    <message>
        <source>expected an event stream, but the server sent %1 (%2)</source>
        <translation>应为事件流，但服务器返回了 %1（%2）</translation>
    </message>
    <message>
        <source>no content type</source>
        <translation>无内容类型</translation>
    </message>
    <message>
        <source>could not reach %1 within %2</source>
        <translation>无法在 %2 内连接到 %1</translation>
    </message>
    <message>
        <source>the provider sent nothing for %1 after the request</source>
        <translation>发出请求后，服务商在 %1 内没有返回任何内容</translation>
    </message>
    <message>
        <source>the stream stalled: nothing arrived for %1</source>
        <translation>数据流停滞：%1 内没有收到任何内容</translation>
    </message>
    <message>
        <source>the connection was lost during the answer: %1</source>
        <translation>回答过程中连接中断：%1</translation>
    </message>
    <message>
        <source>the connection was lost during the answer: %1 of %2 bytes arrived</source>
        <translation>回答过程中连接中断：只收到 %2 字节中的 %1 字节</translation>
    </message>
    <message>
        <source>the provider sent an empty answer</source>
        <translation>服务商返回了空回答</translation>
    </message>
    <message>
        <source>expected an event stream, but the server sent %1</source>
        <translation>应为事件流，但服务器返回了 %1</translation>
    </message>
    <message>
        <source>the stream ended early, before the answer was complete</source>
        <translation>数据流提前结束，回答不完整</translation>
    </message>
</context>
<context>
    <name>ChatWindow</name>
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
        <source>New conversation.</source>
        <translation>已开始新对话。</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Show or hide the jobs and workers of the queue</source>
        <translation>显示或隐藏队列中的任务和工作进程</translation>
    </message>
    <message>
        <source>Stop the answer; what arrived so far is kept (Ctrl+.)</source>
        <translation>停止回答；已收到的内容会保留（Ctrl+.）</translation>
    </message>
    <message>
        <source>Editing a message: sending makes it a new version.</source>
        <translation>正在编辑消息：发送后将成为新版本。</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <source>Stop the answer</source>
        <translation>停止回答</translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation>输入消息</translation>
    </message>
    <message>
        <source>Parameters…</source>
        <translation>参数…</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Enter sends (Shift+Enter for a new line)</source>
        <translation>按 Enter 发送（Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送（Enter）</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
    <message>
        <source>The language changes when ChatQueue starts again.</source>
        <translation>语言将在重启 ChatQueue 后生效。</translation>
    </message>
    <message>
        <source>The conversation is no longer in the history.</source>
        <translation>该对话已不在历史记录中。</translation>
    </message>
    <message>
        <source>An answer from the last session is still running.</source>
        <translation>上次运行时发出的 1 个回答仍在生成中。</translation>
    </message>
    <message>
        <source>%1 answers from the last session are still running.</source>
        <translation>上次运行时发出的 %1 个回答仍在生成中。</translation>
    </message>
    <message>
        <source>The message being edited was deleted; your text stays here.</source>
        <translation>正在编辑的消息已被删除；你输入的内容仍保留在此处。</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Ask anything. Ctrl+Enter sends.</source>
        <translation>输入任何问题，按 Ctrl+Enter 发送。</translation>
    </message>
    <message>
        <source>Ask anything. Enter sends, Shift+Enter starts a new line.</source>
        <translation>输入任何问题，按 Enter 发送，按 Shift+Enter 换行。</translation>
    </message>
</context>
<context>
    <name>ConversationHistory</name>
    <message>
        <source>Next conversation</source>
        <translation>下一个对话</translation>
    </message>
    <message>
        <source>Previous conversation</source>
        <translation>上一个对话</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <source>The conversation no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>Cannot import %1: %2</source>
        <translation>无法导入 %1：%2</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>Import conversation</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <source>Import conversation…</source>
        <translation>导入对话…</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <source>Conversation deleted.</source>
        <translation>对话已删除。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新对话（Ctrl+N）</translation>
    </message>
    <message>
        <source>Untitled conversation</source>
        <translation>未命名对话</translation>
    </message>
    <message>
        <source>%1 (pinned)</source>
        <translation>%1（已置顶）</translation>
    </message>
    <message>
        <source>Deleted &quot;%1&quot;.</source>
        <translation>已删除“%1”。</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>%1 (answer streaming)</source>
        <translation>%1（正在生成回答）</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Show 1 earlier message</source>
        <translation>显示更早的 1 条消息</translation>
    </message>
    <message>
        <source>Show %1 earlier messages</source>
        <translation>显示更早的 %1 条消息</translation>
    </message>
</context>
<context>
    <name>JobTableModel</name>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>工作进程</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首词元</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>已成功</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>已失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
</context>
<context>
    <name>MarkdownRenderer</name>
    <message>
        <source>[image: %1]</source>
        <translation>[图片：%1]</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
</context>
<context>
    <name>MarkdownView</name>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
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
    <message>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message</source>
        <translation>复制此消息</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit this message and send it again</source>
        <translation>编辑此消息并重新发送</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Ask again; this answer stays as an earlier version</source>
        <translation>重新提问；当前回答将保留为旧版本</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete this message</source>
        <translation>删除此消息</translation>
    </message>
</context>
<context>
    <name>ParametersBar</name>
    <message>
        <source>The provider profile this conversation is sent to</source>
        <translation>此对话使用的服务商配置</translation>
    </message>
    <message>
        <source>The model; choose one or type its name</source>
        <translation>模型：从列表中选择，或直接输入名称</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>system prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>temperature %1</source>
        <translation>温度 %1</translation>
    </message>
    <message>
        <source>max %1 tokens</source>
        <translation>最多 %1 个词元</translation>
    </message>
    <message>
        <source>effort %1</source>
        <translation>推理强度 %1</translation>
    </message>
    <message>
        <source>Parameters…</source>
        <translation>参数…</translation>
    </message>
    <message>
        <source>Parameters: %1</source>
        <translation>参数：%1</translation>
    </message>
    <message>
        <source>System prompt, temperature, max tokens, reasoning effort</source>
        <translation>系统提示词、温度、最大词元数、推理强度</translation>
    </message>
</context>
<context>
    <name>ParametersDialog</name>
    <message>
        <source>Set</source>
        <translation>指定</translation>
    </message>
    <message>
        <source>Conversation parameters</source>
        <translation>对话参数</translation>
    </message>
    <message>
        <source>For example: 你是人工智能助手</source>
        <translation>例如：你是人工智能助手</translation>
    </message>
    <message>
        <source>Provider default</source>
        <translation>服务商默认值</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大词元数</translation>
    </message>
    <message>
        <source>Reasoning effort</source>
        <translation>推理强度</translation>
    </message>
</context>
<context>
    <name>ProviderPreset</name>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>DeepSeek</source>
        <translation>DeepSeek</translation>
    </message>
    <message>
        <source>Volcengine Ark</source>
        <translation>火山方舟</translation>
    </message>
    <message>
        <source>Alibaba DashScope (Qwen)</source>
        <translation>通义千问 (DashScope)</translation>
    </message>
    <message>
        <source>Moonshot (Kimi)</source>
        <translation>Kimi (Moonshot)</translation>
    </message>
    <message>
        <source>Zhipu (GLM)</source>
        <translation>智谱 GLM</translation>
    </message>
    <message>
        <source>SiliconFlow</source>
        <translation>硅基流动 (SiliconFlow)</translation>
    </message>
    <message>
        <source>OpenRouter</source>
        <translation>OpenRouter</translation>
    </message>
    <message>
        <source>Groq</source>
        <translation>Groq</translation>
    </message>
    <message>
        <source>Mistral</source>
        <translation>Mistral</translation>
    </message>
    <message>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <source>llama.cpp server</source>
        <translation>llama.cpp 服务器</translation>
    </message>
    <message>
        <source>vLLM</source>
        <translation>vLLM</translation>
    </message>
    <message>
        <source>LM Studio</source>
        <translation>LM Studio</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
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
        <source>Base URL</source>
        <translation>接口地址</translation>
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
    <message>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Fetch models</source>
        <translation>获取模型列表</translation>
    </message>
    <message>
        <source>Send earlier reasoning back</source>
        <translation>回传之前的思考过程</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Authorization: Bearer</source>
        <translation>Authorization: Bearer</translation>
    </message>
    <message>
        <source>Send the key in this header instead (Azure OpenAI: api-key).</source>
        <translation>改用此请求头发送密钥（Azure OpenAI：api-key）。</translation>
    </message>
    <message>
        <source>Appended to every request as ?api-version= (Azure OpenAI).</source>
        <translation>以 ?api-version= 的形式附加到每个请求（Azure OpenAI）。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>No proxy</source>
        <translation>不使用代理</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>SOCKS5</source>
        <translation>SOCKS5</translation>
    </message>
    <message>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>host</source>
        <translation>主机</translation>
    </message>
    <message>
        <source>user (optional)</source>
        <translation>用户名（可选）</translation>
    </message>
    <message>
        <source>password (optional)</source>
        <translation>密码（可选）</translation>
    </message>
    <message>
        <source>Send the reasoning of earlier answers back as reasoning_content. Only for providers that ask for it: some refuse requests that carry it.</source>
        <translation>将之前回答的思考过程作为 reasoning_content 回传。仅在服务商要求时开启：有些服务商会拒绝带有该字段的请求。</translation>
    </message>
    <message>
        <source>Optional; used for new conversations</source>
        <translation>可选；用于新对话</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>服务商</translation>
    </message>
    <message>
        <source>Key header</source>
        <translation>密钥请求头</translation>
    </message>
    <message>
        <source>API version</source>
        <translation>API 版本</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>代理</translation>
    </message>
    <message>
        <source>Proxy server</source>
        <translation>代理服务器</translation>
    </message>
    <message>
        <source>Proxy login</source>
        <translation>代理认证</translation>
    </message>
    <message>
        <source>Replace the base URL of &quot;%1&quot; with your own endpoint.</source>
        <translation>请将“%1”的接口地址替换为你自己的接口地址。</translation>
    </message>
    <message>
        <source>A profile needs a name.</source>
        <translation>配置名称不能为空。</translation>
    </message>
    <message>
        <source>There is already a profile named &quot;%1&quot;.</source>
        <translation>已存在名为“%1”的配置。</translation>
    </message>
    <message>
        <source>The last profile cannot be removed.</source>
        <translation>无法移除最后一个配置。</translation>
    </message>
    <message>
        <source>The key the provider gave you</source>
        <translation>服务商提供给你的密钥</translation>
    </message>
    <message>
        <source>Fetching the models of %1…</source>
        <translation>正在获取 %1 的模型列表…</translation>
    </message>
    <message>
        <source>Could not fetch the models: %1</source>
        <translation>无法获取模型列表：%1</translation>
    </message>
    <message>
        <source>Models fetched: %1.</source>
        <translation>已获取 %1 个模型。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Connected in %1 ms; models listed: %2.</source>
        <translation>连接成功，用时 %1 毫秒；共列出 %2 个模型。</translation>
    </message>
    <message>
        <source>Connected: %1 answered in %2 ms.</source>
        <translation>连接成功：%1 在 %2 毫秒内作出回答。</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>连接失败：%1</translation>
    </message>
    <message>
        <source>Every profile needs a name of its own.</source>
        <translation>每个配置都需要一个不重复的名称。</translation>
    </message>
    <message>
        <source>The base URL of &quot;%1&quot; is not a valid http:// or https:// URL.</source>
        <translation>“%1”的接口地址不是有效的 http:// 或 https:// 地址。</translation>
    </message>
    <message>
        <source>The proxy of &quot;%1&quot; needs a host and a port.</source>
        <translation>“%1”的代理需要填写主机和端口。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>the model list did not arrive within %1 ms</source>
        <translation>%1 毫秒内未收到模型列表</translation>
    </message>
    <message>
        <source>expected a model list, but the server sent %1</source>
        <translation>应为模型列表，但服务器返回了 %1</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Worker</source>
        <translation>工作进程</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>上次心跳</translation>
    </message>
    <message>
        <source>Ask the queue to stop the selected job; a partial answer is kept</source>
        <translation>请求队列停止所选任务；已收到的部分回答会保留</translation>
    </message>
    <message>
        <source>Submit the selected job&apos;s request again as a new job</source>
        <translation>将所选任务的请求作为新任务重新提交</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Cannot list the jobs: %1</source>
        <translation>无法列出任务：%1</translation>
    </message>
    <message>
        <source>Cannot list the workers: %1</source>
        <translation>无法列出工作进程：%1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>%1 秒前</translation>
    </message>
    <message>
        <source>Cannot cancel job %1: %2</source>
        <translation>无法取消任务 %1：%2</translation>
    </message>
    <message>
        <source>Cannot submit the job again: %1</source>
        <translation>无法重新提交任务：%1</translation>
    </message>
</context>
<context>
    <name>QueueSettingsWidget</name>
    <message>
        <source>Saved, but no keychain is available: the password is kept only until ChatQueue quits, so after the restart the queue is opened without it.</source>
        <translation>已保存，但没有可用的钥匙串：密码只保留到 ChatQueue 退出，重启后将不带密码打开队列。</translation>
    </message>
    <message>
        <source>Run jobs with this app&apos;s own workers</source>
        <translation>由本应用自己的工作进程运行任务</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>&quot;memory&quot; for the queue inside this app, or a Redis URL such as redis://host:6379/0 or rediss://user@host:6380/0</source>
        <translation>“memory”表示本应用内置的队列；也可以填写 Redis 地址，例如 redis://host:6379/0 或 rediss://user@host:6380/0</translation>
    </message>
    <message>
        <source>Redis password, if the server needs one</source>
        <translation>Redis 密码（服务器需要时填写）</translation>
    </message>
    <message>
        <source>Off: this app only submits jobs, and workers elsewhere (chatq worker) run them</source>
        <translation>关闭后，本应用只提交任务，由其他地方的工作进程（chatq worker）运行</translation>
    </message>
    <message>
        <source>In use now: %1</source>
        <translation>当前使用：%1</translation>
    </message>
    <message>
        <source>The password is kept in the system keychain, not in the settings file. Changes take effect when ChatQueue is restarted.</source>
        <translation>密码保存在系统钥匙串中，不会写入设置文件。更改在重启 ChatQueue 后生效。</translation>
    </message>
    <message>
        <source>Queue URL</source>
        <translation>队列地址</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>The queue password could not be read: %1</source>
        <translation>无法读取队列密码：%1</translation>
    </message>
    <message>
        <source>The queue URL is not valid: %1</source>
        <translation>队列地址无效：%1</translation>
    </message>
    <message>
        <source>The queue settings could not be stored: %1</source>
        <translation>无法保存队列设置：%1</translation>
    </message>
    <message>
        <source>Saved. Restart ChatQueue to use this queue.</source>
        <translation>已保存。重启 ChatQueue 后将使用此队列。</translation>
    </message>
</context>
<context>
    <name>ReasoningBlock</name>
    <message>
        <source>Show or hide the model&apos;s reasoning</source>
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
        <source>The conversation history could not be opened, so conversations will not be kept:
%1</source>
        <translation>无法打开对话历史，对话将不会被保存：
%1</translation>
    </message>
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
    <message>
        <source>%1

ChatQueue uses its own queue for this session. Correct the queue under Queue › Connection and restart.</source>
        <translation>%1

本次会话中 ChatQueue 将使用内置队列。请在“队列 › 连接”中更正队列设置后重启。</translation>
    </message>
</context>
</TS>
