// ponder-cli as users and scripts call it: exit codes, one-line errors naming the file, JSON outputs.
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

using namespace ponder::test;

class TestCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString gguf_, hf_, moe_;

    QString path(const QString& name) const { return dir_.filePath(name); }

    static QJsonObject jsonOf(const ProcessResult& r)
    {
        QJsonParseError error{};
        const auto doc = QJsonDocument::fromJson(r.out, &error);
        if (error.error != QJsonParseError::NoError)
            qFatal("not JSON: %s", r.out.constData());
        return doc.object();
    }

    static QList<int> idsOf(const ProcessResult& r)
    {
        QList<int> ids;
        for (const auto& v : jsonOf(r)["ids"].toArray())
            ids.append(v.toInt());
        return ids;
    }

    static void expectOneLineError(const ProcessResult& r, int status, const QString& mentions)
    {
        QCOMPARE(r.exitCode, status);
        QVERIFY(r.out.isEmpty());
        const QString err = QString::fromUtf8(r.err).trimmed();
        QVERIFY2(!err.contains('\n'), qPrintable(err));
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        gguf_ = path("tiny.gguf");
        hf_ = path("tiny-hf");
        moe_ = path("moe.gguf");
        for (const QStringList& args : {
                 QStringList{"synth", "--preset", "tiny-dense", "--format", "gguf", "--type", "q8_0", "--out", gguf_},
                 QStringList{"synth", "--preset", "tiny-dense", "--format", "hf", "--type", "bf16", "--out", hf_},
                 QStringList{"synth", "--preset", "tiny-moe", "--format", "gguf", "--type", "q4_k_m", "--out", moe_},
             }) {
            const auto r = runCli(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        }
    }

    void infoDescribesDenseGguf()
    {
        const auto r = runCli({"info", gguf_, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = jsonOf(r);
        QCOMPARE(j["architecture"].toString(), "qwen3");
        QCOMPARE(j["format"].toString(), "gguf");
        QCOMPARE(j["layers"].toInt(), 2);
        QCOMPARE(j["head_dim"].toInt(), 32);
        QCOMPARE(j["vocab_size"].toInt(), 151936);
        QCOMPARE(j["tied_embeddings"].toBool(), true);
        QCOMPARE(j["thinking"].toString(), "hybrid");
        QCOMPARE(j["tokenizer"].toObject()["vocab_size"].toInt(), 151936);
        const auto types = j["tensor_types"].toObject();
        QVERIFY(types.contains("Q8_0"));
        QVERIFY(types.contains("F32"));
        QCOMPARE(j["file_bytes"].toInteger(), QFileInfo(gguf_).size());
        // Parameters: embedding + per layer (2 norms of 64, q 64x128, k 64x64, v 64x64, o 128x64, 2 head norms
        // of 32, 3 MLP 64x128) + final norm.
        const qint64 perLayer = 2 * 64 + 64 * 128 + 2 * 64 * 64 + 128 * 64 + 2 * 32 + 3 * 64 * 128;
        QCOMPARE(j["parameters"].toInteger(), 151936LL * 64 + 2 * perLayer + 64);
        const auto text = runCli({"info", gguf_});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("qwen3"));
    }

    void infoDescribesMoeAndHf()
    {
        const auto moe = jsonOf(runCli({"info", moe_, "--json"}));
        QCOMPARE(moe["architecture"].toString(), "qwen3moe");
        QCOMPARE(moe["experts"].toObject()["count"].toInt(), 8);
        QCOMPARE(moe["experts"].toObject()["per_token"].toInt(), 2);
        // Tiny rows (64) are shorter than a k-quant block: Q4_K and Q6_K fall back to Q5_0 and Q8_0.
        const auto types = moe["tensor_types"].toObject();
        QVERIFY(types.contains("Q5_0"));
        QVERIFY(types.contains("Q8_0"));
        QVERIFY(!types.contains("Q4_K"));

        const auto hf = jsonOf(runCli({"info", hf_, "--json"}));
        QCOMPARE(hf["format"].toString(), "huggingface");
        QCOMPARE(hf["architecture"].toString(), "qwen3");
        QVERIFY(hf["tensor_types"].toObject().contains("BF16"));
        QCOMPARE(hf["parameters"].toInteger(), jsonOf(runCli({"info", gguf_, "--json"}))["parameters"].toInteger());
    }

    void tokenizeAgreesAcrossFormatsAndRoundTrips()
    {
        const QString text = QStringLiteral("Hello, 世界! <think>reasoning</think> 12345 🙂");
        const auto a = runCli({"tokenize", gguf_, "--text", text, "--json"});
        const auto b = runCli({"tokenize", hf_, "--text", text, "--json"});
        QVERIFY2(a.exitCode == 0, a.err.constData());
        QVERIFY2(b.exitCode == 0, b.err.constData());
        const auto ids = idsOf(a);
        QCOMPARE(ids, idsOf(b));
        QVERIFY(ids.contains(151667)); // <think>
        QVERIFY(ids.contains(151668)); // </think>
        QStringList list;
        for (int id : ids)
            list << QString::number(id);
        const auto back = runCli({"detokenize", gguf_, "--ids", list.join(',')});
        QCOMPARE(back.exitCode, 0);
        QCOMPARE(QString::fromUtf8(back.out), text);

        QTemporaryFile file;
        QVERIFY(file.open());
        file.write(text.toUtf8());
        file.flush();
        QCOMPARE(idsOf(runCli({"tokenize", gguf_, "--file", file.fileName(), "--json"})), ids);
    }

    void promptRendersTheTemplate()
    {
        const QString conversation = path("conversation.json");
        writeFile(conversation.toStdString(),
                  R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]})");
        const auto r = runCli({"prompt", gguf_, "--conversation", conversation, "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const auto j = jsonOf(r);
        QCOMPARE(j["text"].toString(),
                 "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
        const auto ids = idsOf(r);
        QCOMPARE(ids.first(), 151644); // <|im_start|>
        QCOMPARE(ids.count(151645), 2); // two <|im_end|>

        const auto noThink = runCli({"prompt", hf_, "--conversation", conversation, "--no-think"});
        QCOMPARE(noThink.exitCode, 0);
        QVERIFY(noThink.out.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
    }

    void errorsAreOneLineNamingTheFile()
    {
        expectOneLineError(runCli({"info", path("missing.gguf")}), 1, "missing.gguf");

        const QString corrupt = path("corrupt.gguf");
        const std::string bytes = readFile(gguf_.toStdString());
        writeFile(corrupt.toStdString(), std::string_view(bytes).substr(0, bytes.size() / 2)); // truncated
        expectOneLineError(runCli({"info", corrupt}), 1, "corrupt.gguf");

        const QString text = path("notes.txt");
        writeFile(text.toStdString(), "just some text, not a model");
        expectOneLineError(runCli({"tokenize", text, "--text", "x"}), 1, "notes.txt");

        expectOneLineError(runCli({"info"}), 2, "MODEL");
        expectOneLineError(runCli({"tokenize", gguf_}), 2, "--text");
        expectOneLineError(runCli({"info", gguf_, "--bogus"}), 2, "--bogus");
        expectOneLineError(runCli({"detokenize", gguf_, "--ids", "1,x"}), 2, "not an integer");
        expectOneLineError(runCli({"detokenize", gguf_, "--ids", "999999"}), 2, "outside the vocabulary");
        expectOneLineError(runCli({"synth", "--preset", "7b", "--out", path("x.gguf")}), 1, "unknown preset");
        expectOneLineError(runCli({"synth", "--preset", "tiny-dense", "--type", "q3_k", "--out", path("x.gguf")}), 1,
                           "unknown type");
        expectOneLineError(
            runCli({"synth", "--preset", "tiny-dense", "--format", "hf", "--type", "q8_0", "--out", path("x")}), 1,
            "f32, f16 or bf16");
        expectOneLineError(runCli({"synth", "--preset", "0.6b", "--layers", "99", "--out", path("x.gguf")}), 1,
                           "--layers");
        QVERIFY(!QFileInfo::exists(path("x.gguf")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
