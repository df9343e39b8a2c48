// ponder-cli run / chat / bench end to end on a synthetic model: the JSON token stream, determinism, the
// logits dump, the chat loop's prefix reuse and soft switches, the benchmark's byte count, and the errors.
#include "model/model_file.h"
#include "test_support.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstring>
#include <vector>

using namespace ponder::test;

namespace {

// One `run --json` output: the token lines and the final stats line.
struct RunOutput {
    QList<QJsonObject> tokens;
    QJsonObject done;

    QList<int> ids() const
    {
        QList<int> ids;
        for (const auto& t : tokens)
            ids.append(t["id"].toInt());
        return ids;
    }
};

RunOutput parseRun(const ProcessResult& r)
{
    RunOutput out;
    const auto lines = r.out.split('\n');
    for (const QByteArray& line : lines) {
        if (line.isEmpty())
            continue;
        QJsonParseError error{};
        const auto object = QJsonDocument::fromJson(line, &error).object();
        if (error.error != QJsonParseError::NoError)
            qFatal("not a JSON line: %s", line.constData());
        if (!out.done.isEmpty())
            qFatal("a line after the done line: %s", line.constData());
        if (object.contains("done"))
            out.done = object;
        else
            out.tokens.append(object);
    }
    return out;
}

struct ChatTurn {
    qint64 generated = 0, prompt = 0, reused = 0;
};

// The stats lines `chat` prints after each answer: "[N tokens, X tok/s, prompt P tokens (R reused)...]".
QList<ChatTurn> chatTurns(const QByteArray& out)
{
    static const QRegularExpression stats(R"(\[(\d+) tokens.*?, prompt (\d+) tokens \((\d+) reused\))");
    QList<ChatTurn> turns;
    auto it = stats.globalMatch(QString::fromUtf8(out));
    while (it.hasNext()) {
        const auto m = it.next();
        turns.append({m.captured(1).toLongLong(), m.captured(2).toLongLong(), m.captured(3).toLongLong()});
    }
    return turns;
}

} // namespace

class TestCliRun : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString model_;
    std::int64_t vocab_ = 0;

    QString path(const QString& name) const { return dir_.filePath(name); }

    // Greedy, a fixed length whatever the random model says, JSON out.
    QStringList greedyRun(const QStringList& extra) const
    {
        return QStringList{"run", model_, "--prompt-ids", "151644,872,198,9707,151645,198", "--greedy",
                           "--max-tokens", "8", "--ignore-eos", "--json"} +
               extra;
    }

    static void expectOneLineError(const ProcessResult& r, int status, const QString& mentions)
    {
        QCOMPARE(r.exitCode, status);
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.isEmpty() && !err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }

    qint64 promptIdCount(const QString& conversation, bool noThink)
    {
        QStringList args{"prompt", model_, "--conversation", conversation, "--json"};
        if (noThink)
            args << "--no-think";
        const auto r = runCli(args);
        if (r.exitCode != 0)
            qFatal("prompt failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).object()["ids"].toArray().size();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        model_ = path("tiny.gguf");
        // q4_k_m mixes types (tiny rows fall back to Q5_0 / Q8_0, norms stay F32): the byte count sees them all.
        const auto r = runCli({"synth", "--preset", "tiny-dense", "--format", "gguf", "--type", "q4_k_m", "--out",
                               model_});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        vocab_ = ponder::ModelFile::open(model_.toStdString())->config().vocabSize;
        QCOMPARE(vocab_, 151936);
    }

    void jsonStreamsEveryTokenThenStats()
    {
        const auto r = runCli(greedyRun({}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const RunOutput out = parseRun(r);
        QCOMPARE(out.tokens.size(), 8);
        for (const auto& token : out.tokens) {
            const int id = token["id"].toInt(-1);
            QVERIFY(id >= 0 && id < vocab_);
            QVERIFY(token["text"].isString());
            const QString channel = token["channel"].toString();
            QVERIFY2(channel == "reasoning" || channel == "content", qPrintable(channel));
            QVERIFY(!token.contains("top"));
        }
        QCOMPARE(out.done["done"].toBool(), true);
        QCOMPARE(out.done["reason"].toString(), "length");
        QCOMPARE(out.done["generated_tokens"].toInt(), 8);
        QCOMPARE(out.done["prompt_tokens"].toInt(), 6);
        QCOMPARE(out.done["reused_tokens"].toInt(), 0);
        QVERIFY(out.done["reasoning_tokens"].toInt() >= 0);
        QVERIFY(out.done["prefill_tok_s"].toDouble() > 0);
        QVERIFY(out.done["decode_tok_s"].toDouble() > 0);
    }

    void greedyIsDeterministicAndSeededSamplingRepeats()
    {
        const auto first = parseRun(runCli(greedyRun({}))).ids();
        QCOMPARE(first.size(), 8);
        QCOMPARE(parseRun(runCli(greedyRun({}))).ids(), first);

        const QStringList sampled{"run", model_, "--prompt-ids", "1,2,3", "--temp", "1.5", "--top-k", "0",
                                  "--top-p", "1", "--seed", "7", "--max-tokens", "8", "--ignore-eos", "--json"};
        const auto a = runCli(sampled);
        QVERIFY2(a.exitCode == 0, a.err.constData());
        QCOMPARE(parseRun(a).ids().size(), 8);
        QCOMPARE(parseRun(runCli(sampled)).ids(), parseRun(a).ids());
    }

    void reasoningIsSplitAndTheBudgetCapsIt()
    {
        // A prompt that leaves the answer inside an open <think> (as Qwen3-2507 Thinking's template does).
        const QStringList thinking{"run", model_, "--prompt-ids", "151644,77091,198,151667,198", "--greedy",
                                   "--max-tokens", "8", "--ignore-eos", "--think-budget", "3"};
        const auto r = runCli(thinking + QStringList{"--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const RunOutput out = parseRun(r);
        QCOMPARE(out.tokens.size(), 8);
        for (int i = 0; i < 8; ++i)
            QCOMPARE(out.tokens[i]["channel"].toString(), i < 3 ? "reasoning" : "content");
        QCOMPARE(out.done["reasoning_tokens"].toInt(), 3);
        QCOMPARE(out.done["generated_tokens"].toInt(), 8);

        // Plain text into a pipe: the reasoning, a blank line, the answer.
        QString reasoning, content;
        for (const auto& token : out.tokens)
            (token["channel"].toString() == "reasoning" ? reasoning : content) += token["text"].toString();
        const auto plain = runCli(thinking);
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
        QCOMPARE(QString::fromUtf8(plain.out), reasoning + (reasoning.endsWith('\n') ? "\n" : "\n\n") + content +
                                                   (content.endsWith('\n') ? "" : "\n"));
    }

    void logitsOutHoldsEveryStepsVector()
    {
        const QString file = path("logits.f32");
        const auto r = runCli(greedyRun({"--logits-out", file}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto ids = parseRun(r).ids();
        QCOMPARE(ids.size(), 8);
        QCOMPARE(QFileInfo(file).size(), 8 * vocab_ * 4);

        // Greedy: each step's token is the argmax of the vector it was sampled from.
        const std::string bytes = readFile(file.toStdString());
        std::vector<float> logits(bytes.size() / 4);
        std::memcpy(logits.data(), bytes.data(), bytes.size()); // little-endian, as the test hosts are
        for (int step = 0; step < 8; ++step) {
            const auto begin = logits.begin() + step * vocab_;
            const auto argmax = std::max_element(begin, begin + vocab_) - begin;
            QCOMPARE(static_cast<int>(argmax), ids[step]);
        }
    }

    void logitsTopGivesTheHighestSorted()
    {
        const auto r = runCli(greedyRun({"--logits-top", "3"}));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const RunOutput out = parseRun(r);
        QCOMPARE(out.tokens.size(), 8);
        for (const auto& token : out.tokens) {
            const QJsonArray top = token["top"].toArray();
            QCOMPARE(top.size(), 3);
            for (int i = 0; i < 3; ++i)
                QCOMPARE(top[i].toArray().size(), 2);
            QVERIFY(top[0][1].toDouble() >= top[1][1].toDouble());
            QVERIFY(top[1][1].toDouble() >= top[2][1].toDouble());
            QCOMPARE(top[0][0].toInt(), token["id"].toInt()); // greedy took the highest
        }
    }

    void conversationAndPromptRenderTheTemplate()
    {
        const QString conversation = path("conversation.json");
        writeFile(conversation.toStdString(),
                  R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})");
        const auto r = runCli({"run", model_, "--conversation", conversation, "--greedy", "--max-tokens", "4",
                               "--ignore-eos", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const RunOutput out = parseRun(r);
        QCOMPARE(out.done["generated_tokens"].toInt(), 4);
        QCOMPARE(out.done["prompt_tokens"].toInteger(), promptIdCount(conversation, false));

        const auto noThink = runCli({"run", model_, "--conversation", conversation, "--no-think", "--greedy",
                                     "--max-tokens", "4", "--ignore-eos", "--json"});
        QVERIFY2(noThink.exitCode == 0, noThink.err.constData());
        QCOMPARE(parseRun(noThink).done["prompt_tokens"].toInteger(), promptIdCount(conversation, true));

        // Plain output into a pipe: the text only, never terminal escapes.
        const auto plain = runCli({"run", model_, "--prompt", "Hi", "--greedy", "--max-tokens", "4", "--ignore-eos"});
        QVERIFY2(plain.exitCode == 0, plain.err.constData());
        QVERIFY(!plain.out.contains('\x1b'));
        QVERIFY(plain.err.isEmpty());
    }

    void errors()
    {
        // "no Vulkan device matches 'nope'", or where no Vulkan driver is installed (the sanitizer run) that.
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--backend", "vulkan", "--device", "nope"}), 1,
                           "Vulkan");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--backend", "metal"}), 2, "metal");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--bogus"}), 2, "--bogus");
        expectOneLineError(runCli({"run", model_}), 2, "--prompt");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--prompt-ids", "1"}), 2, "exactly one");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--greedy", "--temp", "0.5"}), 2, "--greedy");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--top-p", "1.5"}), 2, "--top-p");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--temp", "warm"}), 2, "not a number");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--max-tokens", "0"}), 2, "--max-tokens");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--think", "--no-think"}), 2, "--no-think");
        expectOneLineError(runCli({"run", model_, "--prompt", "Hi", "--logits-top", "3"}), 2, "--json");
        expectOneLineError(runCli({"run", model_, "--prompt-ids", "1,999999"}), 2, "outside the vocabulary");
        expectOneLineError(runCli({"run", path("missing.gguf"), "--prompt", "Hi"}), 1, "missing.gguf");
        expectOneLineError(runCli({"run", model_, "--conversation", path("missing.json")}), 1, "missing.json");
        expectOneLineError(runCli({"chat", model_, "--top-k", "-1"}), 2, "--top-k");
        expectOneLineError(runCli({"bench", model_, "-p", "0"}), 2, "-p");
        expectOneLineError(runCli({"bench", model_, "-n"}), 2, "-n needs a value");
        expectOneLineError(runCli({"bench", model_, "-p", "4000", "-n", "200"}), 2, "context length");
    }

    void chatKeepsTheConversationAndReusesItsPrefix()
    {
        const auto r = runCli({"chat", model_, "--greedy", "--max-tokens", "6"},
                              "Hello there\n\nWhat is the capital of France?\n:quit\nnot read\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto turns = chatTurns(r.out);
        QCOMPARE(turns.size(), 2); // the empty line is skipped, nothing after :quit is read
        QCOMPARE(turns[0].reused, 0);
        QVERIFY(turns[0].generated >= 1 && turns[0].generated <= 6);
        // The second prompt starts with the whole first turn up to the answer: the cache is reused.
        QVERIFY2(turns[1].reused > 0, r.out.constData());
        QVERIFY(turns[1].prompt > turns[0].prompt);
        QVERIFY(!r.out.contains('\x1b'));
    }

    void chatSoftSwitchSetsTheTemplateFlag()
    {
        const QString withSwitch = path("switch.json");
        writeFile(withSwitch.toStdString(), R"({"messages":[{"role":"user","content":"Hi /no_think"}]})");
        const qint64 thinkingPrompt = promptIdCount(withSwitch, false);
        const qint64 plainPrompt = promptIdCount(withSwitch, true);
        QVERIFY(plainPrompt > thinkingPrompt); // the empty think block

        // In a message the switch turns thinking off (the message keeps it verbatim)...
        auto turns = chatTurns(runCli({"chat", model_, "--greedy", "--max-tokens", "2"}, "Hi /no_think\n").out);
        QCOMPARE(turns.size(), 1);
        QCOMPARE(turns[0].prompt, plainPrompt);
        // ...a "/think" line turns it back on without sending anything...
        turns = chatTurns(runCli({"chat", model_, "--greedy", "--max-tokens", "2"}, "/think\nHi /no_think\n").out);
        QCOMPARE(turns.size(), 1);
        QCOMPARE(turns[0].prompt, plainPrompt); // the message's own switch still wins for its turn
        // ...and a thinking budget of 0 renders the non-thinking prompt too.
        const QString noSwitch = path("hi.json");
        writeFile(noSwitch.toStdString(), R"({"messages":[{"role":"user","content":"Hi"}]})");
        turns = chatTurns(runCli({"chat", model_, "--greedy", "--max-tokens", "2"}, ":budget 0\nHi\n").out);
        QCOMPARE(turns.size(), 1);
        QCOMPARE(turns[0].prompt, promptIdCount(noSwitch, true));
        turns = chatTurns(runCli({"chat", model_, "--greedy", "--max-tokens", "2"}, "/no_think\n/think\nHi\n").out);
        QCOMPARE(turns.size(), 1);
        QCOMPARE(turns[0].prompt, promptIdCount(noSwitch, false));
    }

    void benchCountsTheWeightsOneDecodeStepReads()
    {
        const auto r = runCli({"bench", model_, "-p", "16", "-n", "8", "-r", "1", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(j["prefill_tok_s"].toDouble() > 0, r.out.constData());
        QVERIFY(j["decode_tok_s"].toDouble() > 0);
        QVERIFY(j["bandwidth_gb_s"].toDouble() > 0);
        QVERIFY(j["bandwidth_fraction"].toDouble() > 0);
        QVERIFY(j["decode_gb_s"].toDouble() > 0);
        QCOMPARE(j["prompt_tokens"].toInt(), 16);
        QCOMPARE(j["decode_tokens"].toInt(), 8);
        QVERIFY(!j["device"].toString().isEmpty());
        QVERIFY(j["threads"].toInt() >= 1);
        QCOMPARE(j["logit_bytes_per_token"].toInt(), 8); // greedy reads back one (id, logit) pair per token

        // From the file's own tensor list: every block tensor, the final norm, the output matrix (tied: the
        // embedding, read whole by the lm_head) and one embedding row for the token's lookup.
        const auto model = ponder::ModelFile::open(model_.toStdString());
        qint64 expected = 0, embedding = 0;
        bool hasOutput = false;
        for (const auto& t : model->tensors()) {
            const qint64 bytes = static_cast<qint64>(t.data.size());
            if (t.name.rfind("blk.", 0) == 0 || t.name == "output_norm.weight")
                expected += bytes;
            else if (t.name == "output.weight")
                expected += bytes, hasOutput = true;
            else if (t.name == "token_embd.weight")
                embedding = bytes;
        }
        QVERIFY(!hasOutput); // tiny-dense ties its embeddings
        QVERIFY(embedding > 0);
        expected += embedding + embedding / vocab_;
        QCOMPARE(j["bytes_per_token"].toInteger(), expected);

        const auto human = runCli({"bench", model_, "-p", "8", "-n", "4", "-r", "1"});
        QVERIFY2(human.exitCode == 0, human.err.constData());
        QVERIFY(human.out.contains("tok/s"));
        QVERIFY(human.out.contains("GB/s"));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "test_cli_run.moc"
