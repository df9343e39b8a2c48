// Every bad config names the file and the key: unsupported architectures, wrong JSON / GGUF types, values
// out of range (negative, zero, 2^40 layers) and fields that contradict each other.
#include "gguf/gguf.h"
#include "model/model_config.h"
#include "model_test_util.h"
#include "tiny_models.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;
using nlohmann::json;

class TestModelConfigErrors : public QObject {
    Q_OBJECT

private slots:
    void unsupportedArchitectures()
    {
        for (const char* arch : {"llama", "qwen2", "qwen35"}) {
            GgufWriter w;
            w.set("general.architecture", GgufValue::ofString(arch));
            const auto gguf = parseGguf(w, "m.gguf");
            QCOMPARE(errorOf([&] { configFromGguf(*gguf, "m.gguf"); }),
                     "m.gguf: unsupported architecture " + QString(arch) +
                         " (Ponder runs qwen3 and qwen3moe)");
        }
        json llama = minimalDenseJson();
        llama["architectures"] = {"LlamaForCausalLM"};
        llama["model_type"] = "llama";
        QCOMPARE(errorOf([&] { configFromHfConfig(llama, "config.json"); }),
                 QString("config.json: unsupported architecture LlamaForCausalLM (Ponder runs "
                             "Qwen3ForCausalLM and Qwen3MoeForCausalLM)"));
        json qwen2 = minimalDenseJson();
        qwen2.erase("architectures");
        qwen2["model_type"] = "qwen2";
        QCOMPARE(errorOf([&] { configFromHfConfig(qwen2, "config.json"); }),
                 QString("config.json: unsupported architecture qwen2 (Ponder runs model_type qwen3 and "
                             "qwen3_moe)"));
        json mismatch = minimalDenseJson();
        mismatch["model_type"] = "qwen3_moe";
        QCOMPARE(errorOf([&] { configFromHfConfig(mismatch, "config.json"); }),
                 QString("config.json: architectures[0] Qwen3ForCausalLM does not match model_type qwen3_moe"));
        json none = minimalDenseJson();
        none.erase("architectures");
        QCOMPARE(errorOf([&] { configFromHfConfig(none, "config.json"); }),
                 QString("config.json: names no architecture (architectures and model_type are both missing)"));
        GgufWriter bare;
        QCOMPARE(errorOf([&] { configFromGguf(*parseGguf(bare, "x.gguf"), "x.gguf"); }),
                 QString("x.gguf: missing metadata key general.architecture"));
    }

    void hfWrongTypes_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value"); // JSON
        QTest::addColumn<QString>("message");
        QTest::newRow("hidden string") << "hidden_size" << "\"1024\""
                                       << "hidden_size must be an integer, not the string \"1024\"";
        QTest::newRow("layers float") << "num_hidden_layers" << "2.5"
                                      << "num_hidden_layers must be an integer, not a number (2.5)";
        QTest::newRow("tie string") << "tie_word_embeddings" << "\"true\""
                                    << "tie_word_embeddings must be true or false, not the string \"true\"";
        QTest::newRow("eps string") << "rms_norm_eps" << "\"1e-6\""
                                    << "rms_norm_eps must be a number, not the string \"1e-6\"";
        QTest::newRow("rope_scaling list") << "rope_scaling" << "[1]"
                                           << "rope_scaling must be an object or null, not an array ([1])";
        QTest::newRow("architectures string") << "architectures" << "\"Qwen3ForCausalLM\""
                                              << "architectures must be a list of class names, not the string "
                                                 "\"Qwen3ForCausalLM\"";
        QTest::newRow("mlp_only_layers floats") << "mlp_only_layers" << "[1.5]"
                                                << "mlp_only_layers must be a list of integers, but holds a "
                                                   "number (1.5)";
        QTest::newRow("negative heads") << "num_attention_heads" << "-4"
                                        << "num_attention_heads is -4, expected 1..4096";
        QTest::newRow("2^40 layers") << "num_hidden_layers" << "1099511627776"
                                     << "num_hidden_layers is 1099511627776, expected 1..4096";
        QTest::newRow("zero eps") << "rms_norm_eps" << "0" << "rms_norm_eps is 0, expected a positive number up to 1";
        QTest::newRow("kv not dividing") << "num_key_value_heads" << "6"
                                         << "num_attention_heads (16) is not a multiple of num_key_value_heads (6)";
        QTest::newRow("odd head_dim") << "head_dim" << "127"
                                      << "head_dim is 127, expected an even number (rotary embedding rotates "
                                         "pairs of halves)";
        QTest::newRow("missing hidden") << "hidden_size" << "null" << "missing hidden_size";
    }

    void hfWrongTypes()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, message);
        json j = minimalDenseJson();
        if (field == "mlp_only_layers")
            j["architectures"] = {"Qwen3MoeForCausalLM"};
        j[field.toStdString()] = json::parse(value.toStdString());
        QCOMPARE(errorOf([&] { configFromHfConfig(j, "dir/config.json"); }),
                 "dir/config.json: " + message);
    }

    void moeRelations()
    {
        json j = hfConfigJson(tinyMoe());
        j["num_experts_per_tok"] = 5;
        QCOMPARE(errorOf([&] { configFromHfConfig(j, "c.json"); }),
                 QString("c.json: num_experts_per_tok (5) is more than num_experts (4)"));
        QCOMPARE(errorOf([&] { configFromHfConfig(json::array(), "c.json"); }),
                 QString("c.json: expected a JSON object, not an array ([])"));
    }

    void ggufBadKeys_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("kind"); // 0 remove, 1 string, 2 u64 2^40, 3 u32 value
        QTest::addColumn<int>("number");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing embedding") << "qwen3.embedding_length" << 0 << 0
                                           << "missing metadata key qwen3.embedding_length";
        QTest::newRow("missing eps") << "qwen3.attention.layer_norm_rms_epsilon" << 0 << 0
                                     << "missing metadata key qwen3.attention.layer_norm_rms_epsilon";
        QTest::newRow("block_count string") << "qwen3.block_count" << 1 << 0
                                            << "qwen3.block_count has type string, expected an integer";
        QTest::newRow("2^40 layers") << "qwen3.block_count" << 2 << 0
                                     << "qwen3.block_count is 1099511627776, expected 1..4096";
        QTest::newRow("zero heads") << "qwen3.attention.head_count" << 3 << 0
                                    << "qwen3.attention.head_count is 0, expected 1..4096";
        QTest::newRow("kv not dividing") << "qwen3.attention.head_count_kv" << 3 << 3
                                         << "qwen3.attention.head_count (4) is not a multiple of "
                                            "qwen3.attention.head_count_kv (3)";
        QTest::newRow("value_length") << "qwen3.attention.value_length" << 3 << 64
                                      << "qwen3.attention.value_length is 64 but qwen3.attention.key_length is "
                                         "32; Ponder needs them equal";
        QTest::newRow("rope dims") << "qwen3.rope.dimension_count" << 3 << 16
                                   << "qwen3.rope.dimension_count is 16, expected the head size 32";
        QTest::newRow("odd head_dim") << "qwen3.attention.key_length" << 3 << 33
                                      << "qwen3.attention.key_length is 33, expected an even number (rotary "
                                         "embedding rotates pairs of halves)";
        QTest::newRow("linear rope") << "qwen3.rope.scaling.type" << 1 << 0
                                     << "unsupported qwen3.rope.scaling.type text (Ponder supports yarn)";
    }

    void ggufBadKeys()
    {
        QFETCH(QString, key);
        QFETCH(int, kind);
        QFETCH(int, number);
        QFETCH(QString, message);
        auto keys = minimalDenseKeys();
        keys.push_back({"qwen3.attention.key_length", GgufValue::ofU32(32)});
        std::erase_if(keys, [&](const auto& kv) { return kv.first == key.toStdString(); });
        if (kind == 1)
            keys.push_back({key.toStdString(), GgufValue::ofString("text")});
        if (kind == 2)
            keys.push_back({key.toStdString(), GgufValue::ofU64(std::uint64_t{1} << 40)});
        if (kind == 3)
            keys.push_back({key.toStdString(), GgufValue::ofU32(static_cast<std::uint32_t>(number))});
        const auto gguf = ggufWith("qwen3", keys);
        QCOMPARE(errorOf([&] { configFromGguf(*gguf, "m.gguf"); }), "m.gguf: " + message);
    }

    void ggufMoeRelations()
    {
        auto keys = std::vector<std::pair<std::string, GgufValue>>{
            {"qwen3moe.block_count", GgufValue::ofU32(2)},
            {"qwen3moe.context_length", GgufValue::ofU32(4096)},
            {"qwen3moe.embedding_length", GgufValue::ofU32(64)},
            {"qwen3moe.attention.head_count", GgufValue::ofU32(4)},
            {"qwen3moe.attention.layer_norm_rms_epsilon", GgufValue::ofF32(1e-6f)},
            {"qwen3moe.expert_count", GgufValue::ofU32(4)},
            {"qwen3moe.expert_used_count", GgufValue::ofU32(8)},
            {"qwen3moe.expert_feed_forward_length", GgufValue::ofU32(32)}};
        QCOMPARE(errorOf([&] { configFromGguf(*ggufWith("qwen3moe", keys), "m.gguf"); }),
                 QString("m.gguf: qwen3moe.expert_used_count (8) is more than qwen3moe.expert_count (4)"));
        keys[6].second = GgufValue::ofU32(2);
        keys.pop_back(); // no expert width, no feed_forward_length to derive it from
        QCOMPARE(errorOf([&] { configFromGguf(*ggufWith("qwen3moe", keys), "m.gguf"); }),
                 QString("m.gguf: missing metadata key qwen3moe.expert_feed_forward_length"));

        // The vocabulary comes from token_embd.weight, so a GGUF without it has no config.
        GgufWriter w;
        w.set("general.architecture", GgufValue::ofString("qwen3"));
        for (const auto& [key, value] : minimalDenseKeys())
            w.set(key, value);
        QCOMPARE(errorOf([&] { configFromGguf(*parseGguf(w, "m.gguf"), "m.gguf"); }),
                 QString("m.gguf: missing tensor token_embd.weight"));
    }
};

QTEST_GUILESS_MAIN(TestModelConfigErrors)
#include "test_model_config_errors.moc"
