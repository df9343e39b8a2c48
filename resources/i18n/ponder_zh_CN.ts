<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CatalogView</name>
    <message>
        <source>This computer: %1 of memory and a GPU with %2. A model needs about 1.2 times its file size.</source>
        <translation>本机：%1 内存，GPU 显存 %2。模型所需内存约为其文件大小的 1.2 倍。</translation>
    </message>
    <message>
        <source>This computer: %1 of memory and no GPU Ponder can use. A model needs about 1.2 times its file size.</source>
        <translation>本机：%1 内存，没有可供 Ponder 使用的 GPU。模型所需内存约为其文件大小的 1.2 倍。</translation>
    </message>
    <message>
        <source>Recommended for this computer: %1</source>
        <translation>本机推荐：%1</translation>
    </message>
    <message>
        <source>None of these models fits this computer&apos;s memory.</source>
        <translation>本机内存不足以运行其中任何模型。</translation>
    </message>
    <message>
        <source>The model catalog cannot be read: %1</source>
        <translation>无法读取模型目录：%1</translation>
    </message>
    <message>
        <source>%1 parameters, %2 active per token · mixture of experts</source>
        <translation>%1 参数，每个 token 激活 %2 · 混合专家</translation>
    </message>
    <message>
        <source>%1 parameters · dense</source>
        <translation>%1 参数 · 稠密</translation>
    </message>
    <message>
        <source>context %1 tokens (%2 with YaRN)</source>
        <translation>上下文 %1 个 token（使用 YaRN 时为 %2）</translation>
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
        <source>Repository</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>about %1</source>
        <translation>约 %1</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>split into parts: see the repository</source>
        <translation>已拆分为多个文件：请查看仓库</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>In the downloads</source>
        <translation>已加入下载</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
</context>
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
    <name>DownloadsView</name>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Retrying</source>
        <translation>正在重试</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>正在校验</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <source>%1 min left</source>
        <translation>剩余 %1 分钟</translation>
    </message>
    <message>
        <source>%1 h %2 min left</source>
        <translation>剩余 %1 小时 %2 分钟</translation>
    </message>
    <message>
        <source>No downloads yet. Choose a model under Discover.</source>
        <translation>还没有下载任务。请在“发现”中选择模型。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Remove from the list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Retrying after: %1</source>
        <translation>出错，正在重试：%1</translation>
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
    <name>FitBadge</name>
    <message>
        <source>fits on the GPU</source>
        <translation>可完全载入 GPU</translation>
    </message>
    <message>
        <source>fits partly on the GPU</source>
        <translation>可部分载入 GPU</translation>
    </message>
    <message>
        <source>only on the CPU</source>
        <translation>仅可在 CPU 上运行</translation>
    </message>
    <message>
        <source>too large</source>
        <translation>内存不足</translation>
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
    <name>ImportModelDialog</name>
    <message>
        <source>Import models</source>
        <translation>导入模型</translation>
    </message>
    <message>
        <source>Choose model files</source>
        <translation>选择模型文件</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Choose a Hugging Face model folder</source>
        <translation>选择 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <source>To import:</source>
        <translation>待导入：</translation>
    </message>
    <message>
        <source>Choose a .gguf file or a Hugging Face model folder (config.json beside the .safetensors files), or drop them on the Installed tab.</source>
        <translation>请选择 .gguf 文件或 Hugging Face 模型文件夹（config.json 与 .safetensors 文件位于同一文件夹中），或将它们拖放到“已安装”标签页。</translation>
    </message>
    <message>
        <source>Choose files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Choose a model folder…</source>
        <translation>选择模型文件夹…</translation>
    </message>
    <message>
        <source>How</source>
        <translation>导入方式</translation>
    </message>
    <message>
        <source>Copy into Ponder&apos;s models folder (the original stays where it is)</source>
        <translation>复制到 Ponder 的模型文件夹（原文件保留在原处）</translation>
    </message>
    <message>
        <source>Move into Ponder&apos;s models folder</source>
        <translation>移动到 Ponder 的模型文件夹</translation>
    </message>
    <message>
        <source>Use it where it is (Ponder reads it there and never deletes it)</source>
        <translation>在原位置使用（Ponder 从原处读取，且绝不会删除它）</translation>
    </message>
    <message>
        <source>Ponder&apos;s models folder: %1</source>
        <translation>Ponder 的模型文件夹：%1</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>InstalledView</name>
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
        <source>Choose a folder with models</source>
        <translation>选择包含模型的文件夹</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>删除 %1？</translation>
    </message>
    <message>
        <source>Its file is removed from Ponder&apos;s models folder for good:
%1</source>
        <translation>其文件将从 Ponder 的模型文件夹中永久删除：
%1</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No models yet</source>
        <translation>还没有模型</translation>
    </message>
    <message>
        <source>Add a folder that holds .gguf files or Hugging Face model folders, import or drop a model here, or create Ponder&apos;s test model to try the app now.</source>
        <translation>添加存放 .gguf 文件或 Hugging Face 模型文件夹的文件夹，导入模型或将模型拖放到此处，也可以创建 Ponder 测试模型，立即试用本应用。</translation>
    </message>
    <message>
        <source>Creating the test model…</source>
        <translation>正在创建测试模型…</translation>
    </message>
    <message>
        <source>Create test model</source>
        <translation>创建测试模型</translation>
    </message>
    <message>
        <source>Could not create the test model: %1</source>
        <translation>无法创建测试模型：%1</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>文件大小</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>上次使用</translation>
    </message>
    <message>
        <source>Memory needed</source>
        <translation>所需内存</translation>
    </message>
    <message>
        <source>Ascending</source>
        <translation>升序</translation>
    </message>
    <message>
        <source>Descending</source>
        <translation>降序</translation>
    </message>
    <message>
        <source>Show hidden (%1)</source>
        <translation>显示已隐藏（%1）</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>已隐藏</translation>
    </message>
    <message>
        <source>%1 · %2 parameters · %3 · %4 · %5 · context %6 tokens · %7</source>
        <translation>%1 · %2 参数 · %3 · %4 · %5 · 上下文 %6 个 token · %7</translation>
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
        <source>Needs about %1 of memory at %2 tokens of context</source>
        <translation>在 %2 个 token 的上下文下约需 %1 内存</translation>
    </message>
    <message>
        <source>Cannot be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>Found in %1</source>
        <translation>来自 %1</translation>
    </message>
    <message>
        <source>last used %1</source>
        <translation>上次使用：%1</translation>
    </message>
    <message>
        <source>never loaded</source>
        <translation>从未加载</translation>
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
        <source>Defaults…</source>
        <translation>默认设置…</translation>
    </message>
    <message>
        <source>This model belongs to %1; Ponder does not delete it. Hide it instead.</source>
        <translation>此模型属于 %1，Ponder 不会将其删除。你可以改为隐藏它。</translation>
    </message>
    <message>
        <source>This model is loaded; load another model before deleting it.</source>
        <translation>此模型已加载，请先加载其他模型再将其删除。</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Also searched: %1</source>
        <translation>其他搜索位置：%1</translation>
    </message>
    <message>
        <source>Drop to import</source>
        <translation>松开即可导入</translation>
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
    <name>MemoryFit</name>
    <message>
        <source>Fits on the GPU</source>
        <translation>可完全载入 GPU</translation>
    </message>
    <message>
        <source>Fits partly on the GPU, the rest in RAM</source>
        <translation>部分载入 GPU，其余载入内存</translation>
    </message>
    <message>
        <source>Runs only on the CPU</source>
        <translation>仅能在 CPU 上运行</translation>
    </message>
    <message>
        <source>Does not fit in this computer&apos;s memory</source>
        <translation>超出本机内存容量</translation>
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
    <name>ModelDefaultsDialog</name>
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
        <source>%1K tokens</source>
        <translation>%1K 个 token</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个 token</translation>
    </message>
    <message>
        <source>Defaults for %1</source>
        <translation>%1 的默认设置</translation>
    </message>
    <message>
        <source>These win over the app&apos;s settings whenever this model is loaded. Thinking and sampling apply to new conversations with it; the device applies the next time it loads.</source>
        <translation>只要加载此模型，这些设置就会优先于应用设置。思考和采样设置适用于使用此模型的新对话；设备设置在下次加载此模型时生效。</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <source>The app&apos;s setting (%1)</source>
        <translation>跟随应用设置（%1）</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>As the last conversation had it</source>
        <translation>与上次对话相同</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>The app&apos;s setting</source>
        <translation>跟随应用设置</translation>
    </message>
    <message>
        <source>Sampling: leave a field empty for the value recommended for the mode.</source>
        <translation>采样：留空则使用当前模式的推荐值。</translation>
    </message>
    <message>
        <source>recommended</source>
        <translation>推荐值</translation>
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
    <name>ModelScope</name>
    <message>
        <source>ModelScope&apos;s file list for %1 is not valid JSON (%2 at offset %3).</source>
        <translation>ModelScope 上 %1 的文件列表不是有效的 JSON（%2，位于偏移量 %3）。</translation>
    </message>
    <message>
        <source>ModelScope&apos;s file list for %1 is not a JSON object.</source>
        <translation>ModelScope 上 %1 的文件列表不是 JSON 对象。</translation>
    </message>
    <message>
        <source>ModelScope answered code %1 for %2: %3</source>
        <translation>ModelScope 对 %2 返回了代码 %1：%3</translation>
    </message>
    <message>
        <source>ModelScope&apos;s file list for %1 has no Data.Files list.</source>
        <translation>ModelScope 上 %1 的文件列表中没有 Data.Files 列表。</translation>
    </message>
    <message>
        <source>ModelScope lists %1 in %2 with &quot;%3&quot; as its SHA-256, which is not one.</source>
        <translation>ModelScope 列出的 %2 中 %1 的 SHA-256 为“%3”，这不是有效的 SHA-256 值。</translation>
    </message>
    <message>
        <source>ModelScope&apos;s repository %1 has no file %2.</source>
        <translation>ModelScope 的仓库 %1 中没有文件 %2。</translation>
    </message>
    <message>
        <source>ModelScope has no repository %1 (HTTP 404).</source>
        <translation>ModelScope 上没有仓库 %1（HTTP 404）。</translation>
    </message>
    <message>
        <source>ModelScope refused the file list of %1 with HTTP %2; the repository may need an access token.</source>
        <translation>ModelScope 以 HTTP %2 拒绝了 %1 的文件列表请求；该仓库可能需要访问令牌。</translation>
    </message>
    <message>
        <source>Could not read ModelScope&apos;s file list for %1: %2</source>
        <translation>无法读取 ModelScope 上 %1 的文件列表：%2</translation>
    </message>
    <message>
        <source>ModelScope answered HTTP %1 for the file list of %2.</source>
        <translation>ModelScope 对 %2 的文件列表请求返回了 HTTP %1。</translation>
    </message>
</context>
<context>
    <name>ModelStores</name>
    <message>
        <source>%1: cannot read the manifest (%2)</source>
        <translation>%1：无法读取清单文件（%2）</translation>
    </message>
    <message>
        <source>%1: the manifest is not a JSON object (%2)</source>
        <translation>%1：清单文件不是 JSON 对象（%2）</translation>
    </message>
    <message>
        <source>%1: the manifest names no model layer</source>
        <translation>%1：清单文件中未指定模型层</translation>
    </message>
    <message>
        <source>%1: the model layer&apos;s digest &quot;%2&quot; is not sha256:&lt;hex&gt;</source>
        <translation>%1：模型层的摘要“%2”不是 sha256:&lt;hex&gt; 格式</translation>
    </message>
    <message>
        <source>%1: the model&apos;s blob %2 is missing</source>
        <translation>%1：缺少模型的 blob 文件 %2</translation>
    </message>
    <message>
        <source>Ponder&apos;s models folder</source>
        <translation>Ponder 的模型文件夹</translation>
    </message>
    <message>
        <source>a folder you added</source>
        <translation>你添加的文件夹</translation>
    </message>
    <message>
        <source>the Hugging Face cache</source>
        <translation>Hugging Face 缓存</translation>
    </message>
    <message>
        <source>LM Studio</source>
        <translation>LM Studio</translation>
    </message>
    <message>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <source>GPT4All</source>
        <translation>GPT4All</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Test model — random weights, for trying the app; it answers a fixed script</source>
        <translation>测试模型——随机权重，用于试用本应用；它按固定脚本回答</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
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
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <source>Discover</source>
        <translation>发现</translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation>下载（%1）</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
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
    <message>
        <source>Download from</source>
        <translation>下载来源</translation>
    </message>
    <message>
        <source>Hugging Face</source>
        <translation>Hugging Face</translation>
    </message>
    <message>
        <source>A Hugging Face mirror</source>
        <translation>Hugging Face 镜像站</translation>
    </message>
    <message>
        <source>ModelScope</source>
        <translation>ModelScope</translation>
    </message>
    <message>
        <source>Mirror address</source>
        <translation>镜像地址</translation>
    </message>
    <message>
        <source>The mirror address must start with https:// or http://.</source>
        <translation>镜像地址必须以 https:// 或 http:// 开头。</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>访问令牌</translation>
    </message>
    <message>
        <source>Only for gated repositories</source>
        <translation>仅用于需要授权的仓库</translation>
    </message>
    <message>
        <source>The token is kept in the system&apos;s secret store.</source>
        <translation>令牌保存在系统的密钥存储中。</translation>
    </message>
    <message>
        <source>No secret store is available, so the token is kept in memory until Ponder quits; it is not saved.</source>
        <translation>没有可用的系统密钥存储，因此令牌只会保留在内存中，直到 Ponder 退出，不会被保存。</translation>
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
    <name>ponder::controllers::ModelDefaultsEditor</name>
    <message>
        <source>The context length must be a positive number of tokens, or the app&apos;s setting.</source>
        <translation>上下文长度必须是正整数个 token，或跟随应用设置。</translation>
    </message>
    <message>
        <source>The thinking default must be &quot;on&quot;, &quot;off&quot; or the app&apos;s, not &quot;%1&quot;.</source>
        <translation>默认思考模式必须是 &quot;on&quot;、&quot;off&quot; 或跟随应用设置，而不是 &quot;%1&quot;。</translation>
    </message>
    <message>
        <source>There is no model to save these defaults for.</source>
        <translation>没有可保存这些默认设置的模型。</translation>
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
    <name>ponder::desktop::ModelDownloads</name>
    <message>
        <source>%1 %2 is not in the catalog.</source>
        <translation>模型目录中没有 %1 %2。</translation>
    </message>
    <message>
        <source>%1 %2 is split into several files; Ponder cannot download it yet.</source>
        <translation>%1 %2 被拆分为多个文件，Ponder 暂不支持下载。</translation>
    </message>
    <message>
        <source>The mirror address &quot;%1&quot; is not a web address; set it in the settings.</source>
        <translation>镜像地址“%1”不是有效的网址，请在设置中修改。</translation>
    </message>
    <message>
        <source>%1 is already in the downloads.</source>
        <translation>%1 已在下载列表中。</translation>
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
<context>
    <name>ponder::library</name>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1（%2 字节）</translation>
    </message>
    <message>
        <source>%1: cannot copy to %2 (%3)</source>
        <translation>%1：无法复制到 %2（%3）</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>无法创建 %1</translation>
    </message>
    <message>
        <source>rename failed</source>
        <translation>重命名失败</translation>
    </message>
    <message>
        <source>%1: not enough free space: the model needs %2, and %3 are free</source>
        <translation>%1：可用空间不足，模型需要 %2，而可用空间只有 %3</translation>
    </message>
    <message>
        <source>%1: no such file or folder</source>
        <translation>%1：文件或文件夹不存在</translation>
    </message>
    <message>
        <source>%1: cannot create the models folder</source>
        <translation>%1：无法创建模型文件夹</translation>
    </message>
    <message>
        <source>%1: already exists in Ponder&apos;s models folder</source>
        <translation>%1：已存在于 Ponder 的模型文件夹中</translation>
    </message>
    <message>
        <source>%1.part: a download or import of this name is unfinished in Ponder&apos;s models folder</source>
        <translation>%1.part：Ponder 的模型文件夹中有同名的下载或导入尚未完成</translation>
    </message>
    <message>
        <source>copied, but could not remove %1</source>
        <translation>已复制，但无法删除 %1</translation>
    </message>
    <message>
        <source>%1 (%2) belongs to %3, and Ponder does not delete it; hide it in the app&apos;s Models page instead</source>
        <translation>%1（%2）属于 %3，Ponder 不会将其删除；请改为在应用的“模型”页面中将其隐藏</translation>
    </message>
    <message>
        <source>%1 is loaded; load another model before deleting it</source>
        <translation>%1 已加载，请先加载其他模型再将其删除</translation>
    </message>
    <message>
        <source>%1: cannot be removed</source>
        <translation>%1：无法删除</translation>
    </message>
</context>
<context>
    <name>ponder::library::ModelLibrary</name>
    <message>
        <source>Unknown way to import &quot;%1&quot; (copy, move or inPlace)</source>
        <translation>未知的导入方式“%1”（应为 copy、move 或 inPlace）</translation>
    </message>
    <message>
        <source>Added %1 where it is: %2</source>
        <translation>已在原位置添加 %1：%2</translation>
    </message>
    <message>
        <source>Moved %1 into Ponder&apos;s models folder: %2</source>
        <translation>已将 %1 移动到 Ponder 的模型文件夹：%2</translation>
    </message>
    <message>
        <source>Copied %1 into Ponder&apos;s models folder: %2</source>
        <translation>已将 %1 复制到 Ponder 的模型文件夹：%2</translation>
    </message>
    <message>
        <source>No model in the library has the id %1</source>
        <translation>模型库中没有 ID 为 %1 的模型</translation>
    </message>
    <message>
        <source>Deleted %1 from Ponder&apos;s models folder</source>
        <translation>已从 Ponder 的模型文件夹中删除 %1</translation>
    </message>
    <message>
        <source>it stays in %1</source>
        <translation>它仍保留在 %1 中</translation>
    </message>
</context>
</TS>
