// formatChat against the real thing: every conversation in conversations.json is rendered by Jinja2 the way
// transformers' apply_chat_template does (tests/tools/render_chat_template.py) and must match byte for byte,
// with the official Qwen3 template (Hybrid) and the Qwen3-2507 Thinking / Instruct templates in templates/
// (ThinkingOnly / None). Also: classifyThinking, chatRequestFromJson's errors; pythonJsonDumps is in
// test_python_json.cpp.
#include "chat/chat_format.h"
#include "chat/thinking_support.h"
#include "core/error.h"
#include "test_support.h"

#include <QTest>

#include <nlohmann/json.hpp>

using namespace ponder;
using namespace ponder::test;
using Json = nlohmann::ordered_json;

namespace {

std::filesystem::path chatTestsDir() { return testsSourceDir() / "chat"; }

Json loadConversations()
{
    return Json::parse(readFile(chatTestsDir() / "conversations.json")).at("conversations");
}

// The variant templates handle content that is null or left out; the official one fails on it. Gives the
// conversations with every empty assistant content made null or (alternately) removed.
Json withoutEmptyAssistantContent(Json conversations)
{
    bool makeNull = true;
    for (auto& conversation : conversations)
        for (auto& message : conversation["messages"])
            if (message["role"] == "assistant" && message["content"] == "") {
                if (makeNull)
                    message["content"] = nullptr;
                else
                    message.erase("content");
                makeNull = !makeNull;
            }
    return conversations;
}

// Where two renderings part, shown with escapes so newlines are visible.
std::string describeDifference(const std::string& expected, const std::string& actual)
{
    std::size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at])
        ++at;
    const auto around = [at](const std::string& text) {
        const std::size_t from = at > 40 ? at - 40 : 0;
        return Json(text.substr(from, 100)).dump(-1, ' ', false, Json::error_handler_t::replace);
    };
    return "first difference at byte " + std::to_string(at) + "\n  expected: " + around(expected) +
           "\n  actual:   " + around(actual);
}

struct Reference {
    Json rendered; // one string (or {"error": ...}) per conversation
    std::string failure;
};

// Runs the Jinja2 reference on a tokenizer_config.json or .jinja template file.
Reference renderReference(const std::filesystem::path& templatePath, const Json& conversations)
{
    const Json request = {{"template_path", templatePath.string()}, {"conversations", conversations}};
    const auto script = testsSourceDir() / "tools" / "render_chat_template.py";
    const auto result = runPython({QString::fromStdString(script.string())}, QByteArray::fromStdString(request.dump()));
    if (result.exitCode != 0)
        return {{}, "render_chat_template.py failed (exit " + std::to_string(result.exitCode) +
                        "): " + result.err.toStdString()};
    Json rendered = Json::parse(result.out.toStdString());
    if (!rendered.is_array() || rendered.size() != conversations.size())
        return {{}, "render_chat_template.py gave " + result.out.left(200).toStdString()};
    return {rendered, {}};
}

// Compares formatChat with the reference for every conversation; returns how many are byte-identical and
// logs each one that is not.
int countIdentical(const Json& conversations, const Json& rendered, ThinkingSupport support)
{
    int identical = 0;
    for (std::size_t i = 0; i < conversations.size(); ++i) {
        const std::string name = conversations[i].value("name", "conversation " + std::to_string(i));
        if (!rendered[i].is_string()) {
            qWarning("%s: the reference failed: %s", name.c_str(), rendered[i].dump().c_str());
            continue;
        }
        try {
            const std::string ours = formatChat(chatRequestFromJson(conversations[i], name), support);
            const std::string& expected = rendered[i].get_ref<const std::string&>();
            if (ours == expected)
                ++identical;
            else
                qWarning("%s: %s", name.c_str(), describeDifference(expected, ours).c_str());
        } catch (const Error& e) {
            qWarning("%s: formatChat threw: %s", name.c_str(), e.what());
        }
    }
    return identical;
}

void expectRequestError(const char* json, const char* mentions)
{
    try {
        chatRequestFromJson(Json::parse(json), "req.json");
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(message.starts_with("req.json: ") && message.find(mentions) != std::string::npos,
                 (std::string(json) + " -> " + message).c_str());
        return;
    }
    QFAIL((std::string("no error for ") + json).c_str());
}

ChatMessage message(std::string role, std::string content)
{
    ChatMessage m;
    m.role = std::move(role);
    m.content = std::move(content);
    return m;
}

} // namespace

class TestChatFormat : public QObject {
    Q_OBJECT

    void compareWithTemplate(const std::filesystem::path& templatePath, const Json& conversations,
                             ThinkingSupport support)
    {
        QVERIFY2(conversations.size() >= 30, "conversations.json should hold at least 30 conversations");
        const Reference reference = renderReference(templatePath, conversations);
        QVERIFY2(reference.failure.empty(), reference.failure.c_str());
        const int identical = countIdentical(conversations, reference.rendered, support);
        qInfo("%s (%s): %d/%d conversations byte-identical", templatePath.filename().string().c_str(),
              thinkingSupportName(support).data(), identical, int(conversations.size()));
        QCOMPARE(identical, int(conversations.size()));
    }

private slots:
    void officialTemplateIsByteIdentical()
    {
        compareWithTemplate(tokenizerConfigJson(), loadConversations(), ThinkingSupport::Hybrid);
    }

    void thinking2507TemplateIsByteIdentical()
    {
        compareWithTemplate(chatTestsDir() / "templates" / "qwen3-2507-thinking.jinja",
                            withoutEmptyAssistantContent(loadConversations()), ThinkingSupport::ThinkingOnly);
    }

    void instruct2507TemplateIsByteIdentical()
    {
        compareWithTemplate(chatTestsDir() / "templates" / "qwen3-2507-instruct.jinja",
                            withoutEmptyAssistantContent(loadConversations()), ThinkingSupport::None);
    }

    // Null or absent assistant content is rendered as "" (the official template itself would fail on it).
    void missingAssistantContentRendersAsEmpty()
    {
        const Json conversations = loadConversations();
        const Json stripped = withoutEmptyAssistantContent(conversations);
        QVERIFY(stripped != conversations);
        for (std::size_t i = 0; i < conversations.size(); ++i)
            QCOMPARE(formatChat(chatRequestFromJson(stripped[i], "stripped")),
                     formatChat(chatRequestFromJson(conversations[i], "original")));
    }

    void generationPromptPerSupport()
    {
        ChatRequest request;
        request.messages = {message("user", "hi")};
        const std::string base = "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n";
        using MaybeBool = std::optional<bool>;
        for (const MaybeBool enable : {MaybeBool{}, MaybeBool{true}, MaybeBool{false}}) {
            request.enableThinking = enable;
            const std::string hybridTail = enable == false ? "<think>\n\n</think>\n\n" : "";
            QCOMPARE(formatChat(request, ThinkingSupport::Hybrid), base + hybridTail);
            QCOMPARE(formatChat(request, ThinkingSupport::ThinkingOnly), base + "<think>\n");
            QCOMPARE(formatChat(request, ThinkingSupport::None), base);
        }
        request.addGenerationPrompt = false;
        QCOMPARE(formatChat(request, ThinkingSupport::ThinkingOnly), std::string("<|im_start|>user\nhi<|im_end|>\n"));
    }

    void classifiesTemplates()
    {
        const Json config = Json::parse(readFile(tokenizerConfigJson()));
        QCOMPARE(classifyThinking(config.at("chat_template").get<std::string>()), ThinkingSupport::Hybrid);
        QCOMPARE(classifyThinking(readFile(chatTestsDir() / "templates" / "qwen3-2507-thinking.jinja")),
                 ThinkingSupport::ThinkingOnly);
        QCOMPARE(classifyThinking(readFile(chatTestsDir() / "templates" / "qwen3-2507-instruct.jinja")),
                 ThinkingSupport::None);
        // Qwen2.5-style ChatML: no thinking at all.
        QCOMPARE(classifyThinking("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
                                  "message['content'] + '<|im_end|>\\n'}}{% endfor %}{% if add_generation_prompt %}"
                                  "{{ '<|im_start|>assistant\\n' }}{% endif %}"),
                 ThinkingSupport::None);
        // "<think>" in the history rendering, or only outside the generation branch, is not thinking-only.
        QCOMPARE(classifyThinking("{% for m in messages %}{{ '<think>' + m.reasoning + '</think>' }}{% endfor %}"
                                  "{%- if add_generation_prompt %}{{- 'assistant\\n' }}{%- else %}{{ '<think>' }}"
                                  "{%- endif %}"),
                 ThinkingSupport::None);
        QCOMPARE(classifyThinking("{% if not add_generation_prompt %}<think>{% endif %}"), ThinkingSupport::None);
        // QwQ-style, with a nested if inside the generation branch.
        QCOMPARE(classifyThinking("{%- if add_generation_prompt %}\n    {%- if x %}{{ 'a' }}{%- endif %}\n"
                                  "    {{- '<|im_start|>assistant\\n<think>\\n' }}\n{%- endif %}"),
                 ThinkingSupport::ThinkingOnly);
        QCOMPARE(classifyThinking(""), ThinkingSupport::None);
    }

    void namesThinkingSupport()
    {
        QCOMPARE(thinkingSupportName(ThinkingSupport::Hybrid), std::string_view("hybrid"));
        QCOMPARE(thinkingSupportName(ThinkingSupport::ThinkingOnly), std::string_view("thinking-only"));
        QCOMPARE(thinkingSupportName(ThinkingSupport::None), std::string_view("none"));
    }

    void readsRequestFields()
    {
        const ChatRequest request = chatRequestFromJson(Json::parse(R"({
            "messages": [
                {"role": "user", "content": "q", "name": "ignored"},
                {"role": "assistant", "reasoning_content": "r",
                 "tool_calls": [{"type": "function", "function": {"name": "f", "arguments": {"a": 1}}}]},
                {"role": "tool", "content": "x", "tool_call_id": "1"}],
            "tools": [{"name": "f"}], "enable_thinking": false})"),
                                                        "req.json");
        QCOMPARE(request.messages.size(), std::size_t(3));
        QCOMPARE(request.messages[1].content, std::string());
        QCOMPARE(request.messages[1].reasoningContent.value_or("-"), std::string("r"));
        QCOMPARE(request.messages[1].toolCalls.size(), std::size_t(1));
        QVERIFY(!request.messages[0].reasoningContent);
        QCOMPARE(request.tools.dump(), std::string(R"([{"name":"f"}])"));
        QCOMPARE(request.enableThinking, std::optional<bool>(false));
        QVERIFY(request.addGenerationPrompt);

        const ChatRequest defaults = chatRequestFromJson(
            Json::parse(R"({"messages": [{"role": "user", "content": ""}], "tools": null,
                            "add_generation_prompt": false, "enable_thinking": null})"), "req.json");
        QVERIFY(!defaults.enableThinking);
        QVERIFY(!defaults.addGenerationPrompt);
        QVERIFY(defaults.tools.empty());
    }

    void rejectsBadRequests()
    {
        expectRequestError(R"([])", "must be a JSON object");
        expectRequestError(R"({"tools": []})", "\"messages\" is missing");
        expectRequestError(R"({"messages": {"role": "user"}})", "\"messages\" must be an array");
        expectRequestError(R"({"messages": []})", "\"messages\" is empty");
        expectRequestError(R"({"messages": ["hi"]})", "messages[0] must be an object");
        expectRequestError(R"({"messages": [{"content": "hi"}]})", "messages[0] has no \"role\"");
        expectRequestError(R"({"messages": [{"role": 1, "content": "hi"}]})", "role must be a string");
        expectRequestError(R"({"messages": [{"role": "user", "content": "a"}, {"role": "developer", "content": "b"}]})",
                           "messages[1] has unknown role 'developer'");
        expectRequestError(R"({"messages": [{"role": "user", "content": 5}]})", "content must be a string or null");
        expectRequestError(R"({"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}]})",
                           "messages[0] (user): content must be a string or null, not array");
        expectRequestError(R"({"messages": [{"role": "user", "content": null}]})", "content is null");
        expectRequestError(R"({"messages": [{"role": "tool"}]})", "messages[0] (tool): content is missing");
        expectRequestError(R"({"messages": [{"role": "assistant", "content": "", "reasoning_content": 1}]})",
                           "reasoning_content must be a string or null");
        expectRequestError(R"({"messages": [{"role": "assistant", "content": "", "tool_calls": {"name": "f"}}]})",
                           "tool_calls must be an array");
        expectRequestError(R"({"messages": [{"role": "assistant", "content": "", "tool_calls": ["f"]}]})",
                           "tool_calls[0] must be an object");
        expectRequestError(R"({"messages": [{"role": "assistant", "tool_calls": [{"function": {"arguments": {}}}]}]})",
                           "tool_calls[0] needs a string \"name\"");
        expectRequestError(R"({"messages": [{"role": "assistant", "tool_calls": [{"name": "f"}]}]})",
                           "tool_calls[0] (\"f\") has no \"arguments\"");
        expectRequestError(R"({"messages": [{"role": "assistant", "tool_calls": [{"function": "f"}]}]})",
                           "\"function\" must be an object");
        expectRequestError(R"({"messages": [{"role": "user", "content": "a"}], "tools": {"name": "f"}})",
                           "\"tools\" must be an array");
        expectRequestError(R"({"messages": [{"role": "user", "content": "a"}], "enable_thinking": "no"})",
                           "\"enable_thinking\" must be true or false");
        expectRequestError(R"({"messages": [{"role": "user", "content": "a"}], "add_generation_prompt": 1})",
                           "\"add_generation_prompt\" must be true or false");
    }

    // formatChat checks what it is given directly too (requests built in code skip chatRequestFromJson).
    void formatChatRejectsBadRequests()
    {
        ChatRequest empty;
        QVERIFY_THROWS_EXCEPTION(Error, formatChat(empty));

        ChatRequest unknownRole;
        unknownRole.messages = {message("user", "a"), message("developer", "b")};
        QVERIFY_THROWS_EXCEPTION(Error, formatChat(unknownRole));

        ChatRequest badCall;
        badCall.messages = {message("user", "a"), message("assistant", "")};
        badCall.messages[1].toolCalls = Json::array({{{"function", {{"name", "f"}}}}});
        QVERIFY_THROWS_EXCEPTION(Error, formatChat(badCall));

        ChatRequest badTools;
        badTools.messages = {message("user", "a")};
        badTools.tools = {{"name", "f"}};
        QVERIFY_THROWS_EXCEPTION(Error, formatChat(badTools));
    }
};

QTEST_GUILESS_MAIN(TestChatFormat)
#include "test_chat_format.moc"
