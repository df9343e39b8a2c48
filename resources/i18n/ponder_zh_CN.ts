<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Composer</name>
    <message>
        <source>Message %1 (Enter to send, Shift+Enter for a new line)</source>
        <translation>给 %1 发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Load a model to start chatting</source>
        <translation>加载模型后即可开始对话</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsDialog</name>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <source>Presence penalty</source>
        <translation>存在惩罚</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <source>Conversation settings</source>
        <translation>对话设置</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Instructions the model follows throughout this conversation (optional)</source>
        <translation>模型在整个对话中遵循的指令（可选）</translation>
    </message>
    <message>
        <source>Sampling: each value is the one recommended for the current mode unless you set your own.</source>
        <translation>采样：除非你自行设置，各项均使用当前模式的推荐值。</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>recommended: %1</source>
        <translation>推荐值：%1</translation>
    </message>
    <message>
        <source>Reset to recommended</source>
        <translation>恢复推荐值</translation>
    </message>
</context>
<context>
    <name>ExportFile</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>HeaderBar</name>
    <message>
        <source>Conversation settings</source>
        <translation>对话设置</translation>
    </message>
</context>
<context>
    <name>LanguageSwitcher</name>
    <message>
        <source>The %1 translation is not built into this copy of Ponder (%2 is missing).</source>
        <translation>此版本的 Ponder 未内置 %1 翻译（缺少 %2）。</translation>
    </message>
    <message>
        <source>The translation %1 could not be read.</source>
        <translation>无法读取翻译文件 %1。</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Ponder</source>
        <translation>Ponder</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MarkdownBlocks</name>
    <message>
        <source>code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>Copy this code</source>
        <translation>复制这段代码</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>%1 tokens · %2 tok/s</source>
        <translation>%1 个 token · %2 tok/s</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Wait for the answer to finish, or stop it.</source>
        <translation>请等待回答完成，或先停止它。</translation>
    </message>
    <message>
        <source>Edit your message</source>
        <translation>编辑你的消息</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Save and resend</source>
        <translation>保存并重新发送</translation>
    </message>
    <message>
        <source>The reply failed</source>
        <translation>回复失败</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Retry this reply</source>
        <translation>重试此回复</translation>
    </message>
    <message>
        <source>Regenerate this reply</source>
        <translation>重新生成此回复</translation>
    </message>
    <message>
        <source>Copy this message</source>
        <translation>复制此消息</translation>
    </message>
    <message>
        <source>Copy the text to the clipboard</source>
        <translation>将文本复制到剪贴板</translation>
    </message>
    <message>
        <source>Drop this reply and the messages after it, and answer again</source>
        <translation>丢弃此回复及其后的消息，并重新回答</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit and resend this message</source>
        <translation>编辑并重新发送此消息</translation>
    </message>
    <message>
        <source>Change this message, drop the messages after it, and get a new answer</source>
        <translation>修改此消息，丢弃其后的消息，并获取新的回答</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete this message and its reply</source>
        <translation>删除此消息及其回复</translation>
    </message>
    <message>
        <source>Delete this reply</source>
        <translation>删除此回复</translation>
    </message>
    <message>
        <source>Delete this message and the reply that answers it</source>
        <translation>删除此消息及对应的回复</translation>
    </message>
    <message>
        <source>%1 tokens · %2 tok/s · reasoning %3 tokens in %4 s</source>
        <translation>%1 个 token · %2 tok/s · 思考 %3 个 token，用时 %4 秒</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <source>Choose a model</source>
        <translation>选择模型</translation>
    </message>
    <message>
        <source>%1, running on %2</source>
        <translation>%1，运行于 %2</translation>
    </message>
    <message>
        <source>%1 (cannot be read)</source>
        <translation>%1（无法读取）</translation>
    </message>
    <message>
        <source>%1 · %2 parameters</source>
        <translation>%1 · %2 参数</translation>
    </message>
    <message>
        <source>Manage models…</source>
        <translation>管理模型…</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Could not load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Test model — random weights, for trying the app; it answers a fixed script</source>
        <translation>测试模型——随机权重，用于试用本应用；它按固定脚本回答</translation>
    </message>
    <message>
        <source>Choose a folder with models</source>
        <translation>选择包含模型的文件夹</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Create test model</source>
        <translation>创建测试模型</translation>
    </message>
    <message>
        <source>Back to the chat</source>
        <translation>返回对话</translation>
    </message>
    <message>
        <source>No models yet</source>
        <translation>还没有模型</translation>
    </message>
    <message>
        <source>Add a folder that holds .gguf files or Hugging Face model folders, or create Ponder&apos;s test model to try the app now.</source>
        <translation>添加一个包含 .gguf 文件或 Hugging Face 模型文件夹的文件夹，或创建 Ponder 的测试模型以立即试用本应用。</translation>
    </message>
    <message>
        <source>Creating the test model…</source>
        <translation>正在创建测试模型…</translation>
    </message>
    <message>
        <source>Could not create the test model: %1</source>
        <translation>无法创建测试模型：%1</translation>
    </message>
    <message>
        <source>%1 parameters · %2 · %3 · %4 · context %5 tokens · %6</source>
        <translation>%1 参数 · %2 · %3 · %4 · 上下文 %5 个 token · %6</translation>
    </message>
    <message>
        <source>mixture of experts</source>
        <translation>混合专家</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>稠密</translation>
    </message>
    <message>
        <source>thinking can be switched on and off</source>
        <translation>可开关思考</translation>
    </message>
    <message>
        <source>always thinks</source>
        <translation>始终思考</translation>
    </message>
    <message>
        <source>does not think</source>
        <translation>不支持思考</translation>
    </message>
    <message>
        <source>Cannot be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>In Ponder&apos;s models folder: %1</source>
        <translation>位于 Ponder 的模型文件夹：%1</translation>
    </message>
    <message>
        <source>In an added folder: %1</source>
        <translation>位于已添加的文件夹：%1</translation>
    </message>
    <message>
        <source>Loaded</source>
        <translation>已加载</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>Also searched: %1</source>
        <translation>同时搜索了：%1</translation>
    </message>
</context>
<context>
    <name>ReasoningPane</name>
    <message>
        <source>Hide the reasoning</source>
        <translation>隐藏思考过程</translation>
    </message>
    <message>
        <source>Show the reasoning</source>
        <translation>显示思考过程</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <source>The thinking budget ended the reasoning here; the answer follows from what was thought so far.</source>
        <translation>思考预算在此处结束了推理；回答基于目前已有的思考内容。</translation>
    </message>
    <message>
        <source>No reasoning for this answer</source>
        <translation>此回答没有思考过程</translation>
    </message>
    <message>
        <source>%1 of %2 tokens · %3 s · thinking…</source>
        <translation>%1 / %2 个 token · %3 秒 · 思考中…</translation>
    </message>
    <message>
        <source>%1 of %2 tokens · %3 s</source>
        <translation>%1 / %2 个 token · %3 秒</translation>
    </message>
    <message>
        <source>%1 tokens · %2 s · thinking…</source>
        <translation>%1 个 token · %2 秒 · 思考中…</translation>
    </message>
    <message>
        <source>%1 tokens · %2 s</source>
        <translation>%1 个 token · %2 秒</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Font size</source>
        <translation>字体大小</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>%1K tokens</source>
        <translation>%1K 个 token</translation>
    </message>
    <message>
        <source>This model holds at most %1 tokens, so %2 apply.</source>
        <translation>此模型最多支持 %1 个 token，因此实际使用 %2 个。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>The new device is used the next time a model loads.</source>
        <translation>新设备将在下次加载模型时生效。</translation>
    </message>
    <message>
        <source>Reload now</source>
        <translation>立即重新加载</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Choose another…</source>
        <translation>选择其他…</translation>
    </message>
    <message>
        <source>Use the default</source>
        <translation>使用默认位置</translation>
    </message>
    <message>
        <source>PONDER_DATA_DIR is set, so it decides the data folder.</source>
        <translation>已设置 PONDER_DATA_DIR，数据文件夹由它决定。</translation>
    </message>
    <message>
        <source>From the next start, Ponder keeps its data in %1.</source>
        <translation>从下次启动起，Ponder 会将数据保存在 %1。</translation>
    </message>
    <message>
        <source>Where Ponder keeps its data</source>
        <translation>Ponder 保存数据的位置</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <source>Previous 30 days</source>
        <translation>过去 30 天</translation>
    </message>
    <message>
        <source>New conversation</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
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
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Conversation deleted</source>
        <translation>对话已删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
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
        <source>Export the conversation as JSON</source>
        <translation>将对话导出为 JSON</translation>
    </message>
    <message>
        <source>Export the conversation as Markdown</source>
        <translation>将对话导出为 Markdown</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Markdown files (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
</context>
<context>
    <name>TestModel</name>
    <message>
        <source>the Qwen3 tokenizer the test model needs is not in %1 (run installer/fetch-tokenizer.sh, or set PONDER_TOKENIZER_DIR to its folder)</source>
        <translation>%1 中没有测试模型所需的 Qwen3 分词器（请运行 installer/fetch-tokenizer.sh，或将 PONDER_TOKENIZER_DIR 设为其所在文件夹）</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
</context>
<context>
    <name>ThinkingChip</name>
    <message>
        <source>Thinking…</source>
        <translation>思考中…</translation>
    </message>
    <message>
        <source>Thought for %1 s · %2 tokens</source>
        <translation>思考了 %1 秒 · %2 个 token</translation>
    </message>
    <message>
        <source>Thought for %1 s · %2 tokens · cut by the budget</source>
        <translation>思考了 %1 秒 · %2 个 token · 已达预算上限</translation>
    </message>
</context>
<context>
    <name>ThinkingControls</name>
    <message>
        <source>%1K</source>
        <translation>%1K</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>预算</translation>
    </message>
</context>
<context>
    <name>ponder::app::EngineWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
</context>
<context>
    <name>ponder::controllers::ChatController</name>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
    <message>
        <source>This conversation&apos;s sampling settings could not be read (%1); it uses the recommended ones.</source>
        <translation>无法读取此对话的采样设置（%1），将使用推荐值。</translation>
    </message>
    <message>
        <source>Load a model to start chatting.</source>
        <translation>请先加载模型再开始对话。</translation>
    </message>
    <message>
        <source>Wait for the answer to finish, or stop it, before sending the next message.</source>
        <translation>请等待回答完成或先停止它，再发送下一条消息。</translation>
    </message>
    <message>
        <source>Wait for the answer to finish, or stop it, before changing the conversation.</source>
        <translation>请等待回答完成或先停止它，再修改对话。</translation>
    </message>
    <message>
        <source>There is no message %1 in this conversation.</source>
        <translation>此对话中没有第 %1 条消息。</translation>
    </message>
    <message>
        <source>Only your own messages can be edited.</source>
        <translation>只能编辑你自己的消息。</translation>
    </message>
    <message>
        <source>Only the assistant&apos;s replies can be regenerated.</source>
        <translation>只能重新生成助手的回复。</translation>
    </message>
    <message>
        <source>Load a model to regenerate the reply.</source>
        <translation>请先加载模型再重新生成回复。</translation>
    </message>
    <message>
        <source>The edited message is empty: write something, or delete the message instead.</source>
        <translation>编辑后的消息为空：请输入内容，或改为删除该消息。</translation>
    </message>
    <message>
        <source>Load a model to resend the message.</source>
        <translation>请先加载模型再重新发送消息。</translation>
    </message>
</context>
<context>
    <name>ponder::controllers::ConversationsController</name>
    <message>
        <source>Cannot export as &apos;%1&apos;: choose Markdown or JSON.</source>
        <translation>无法导出为“%1”：请选择 Markdown 或 JSON。</translation>
    </message>
    <message>
        <source>Cannot export to %1: choose a file on this computer.</source>
        <translation>无法导出到 %1：请选择本机上的文件。</translation>
    </message>
    <message>
        <source>That conversation no longer exists.</source>
        <translation>该对话已不存在。</translation>
    </message>
</context>
<context>
    <name>ponder::desktop::AppSettings</name>
    <message>
        <source>Automatic (the GPU when there is one)</source>
        <translation>自动（有 GPU 时使用 GPU）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>%1 (Vulkan, %2)</source>
        <translation>%1（Vulkan，%2）</translation>
    </message>
    <message>
        <source>Only the CPU is offered: Vulkan is not available (%1).</source>
        <translation>仅提供 CPU：Vulkan 不可用（%1）。</translation>
    </message>
</context>
<context>
    <name>ponder::download::Download</name>
    <message>
        <source>Could not create the folder %1 for the download.</source>
        <translation>无法为下载创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>The server sent a part of %1 that was not asked for.</source>
        <translation>服务器发送了 %1 中未请求的部分。</translation>
    </message>
    <message>
        <source>Not enough free space for %1: it needs %2 more, but %3 has only %4 free.</source>
        <translation>空间不足，无法下载 %1：还需要 %2，但 %3 只剩 %4 可用。</translation>
    </message>
    <message>
        <source>Too many redirects for %1.</source>
        <translation>%1 的重定向次数过多。</translation>
    </message>
    <message>
        <source>The transfer of %1 was interrupted: %2</source>
        <translation>%1 的传输中断：%2</translation>
    </message>
    <message>
        <source>The server answered %1 for %2, which is not a file.</source>
        <translation>服务器对 %2 返回了 %1，这不是一个文件。</translation>
    </message>
    <message>
        <source>The transfer of %1 ended after %2 of %3 bytes.</source>
        <translation>%1 的传输在 %3 字节中的第 %2 字节处结束。</translation>
    </message>
    <message>
        <source>Gave up on %1 after %2 attempts. %3</source>
        <translation>尝试 %2 次后放弃下载 %1。%3</translation>
    </message>
    <message>
        <source>The SHA-256 of %1 is %2, but %3 was expected; the partial download was deleted.</source>
        <translation>%1 的 SHA-256 为 %2，但预期为 %3；已删除未完成的下载。</translation>
    </message>
    <message>
        <source>Could not move %1 into place: %2</source>
        <translation>无法将 %1 移动到位：%2</translation>
    </message>
    <message>
        <source>The server refused %1 with HTTP %2 %3; the repository may be gated and need an access token.</source>
        <translation>服务器以 HTTP %2 %3 拒绝了 %1；该仓库可能需要授权，请提供访问令牌。</translation>
    </message>
    <message>
        <source>The server has no file at %1 (HTTP %2 %3).</source>
        <translation>服务器上没有 %1 这个文件（HTTP %2 %3）。</translation>
    </message>
    <message>
        <source>The server answered HTTP %1 %2 for %3.</source>
        <translation>服务器对 %3 返回了 HTTP %1 %2。</translation>
    </message>
</context>
</TS>
