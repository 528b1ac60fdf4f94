<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>ChatWindow</name>
    <message>
        <source>The request failed.</source>
        <translation>请求失败。</translation>
    </message>
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
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Show or hide the jobs and workers of the queue</source>
        <translation>显示或隐藏队列中的任务和工作进程</translation>
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
</TS>