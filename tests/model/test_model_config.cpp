// ModelConfig from config.json and from GGUF metadata: the eight April 2025 Qwen3 releases (values from
// docs' Qwen3 facts table, written the way their config.json / llama.cpp conversions hold them) parse to the
// table in both formats; class / llama.cpp defaults apply only where a field is absent; YaRN; the sparse-layer
// rule. Bad input: test_model_config_errors.cpp.
#include "gguf/gguf.h"
#include "model/model_config.h"
#include "model_test_util.h"
#include "test_support.h"
#include "tiny_models.h"

#include <QTest>

#include <cmath>

using namespace ponder;
using namespace ponder::test;
using nlohmann::json;

namespace {

struct Release {
    const char* name;
    std::int64_t hidden, intermediate, moeIntermediate, layers, heads, kvHeads;
    bool tied;
    std::int64_t experts, topK;
};

// Section 1.4 of the Qwen3 engine facts (all: head_dim 128, vocab 151936, 40960 positions, theta 1e6).
const Release kReleases[] = {
    {"Qwen3-0.6B", 1024, 3072, 0, 28, 16, 8, true, 0, 0},
    {"Qwen3-1.7B", 2048, 6144, 0, 28, 16, 8, true, 0, 0},
    {"Qwen3-4B", 2560, 9728, 0, 36, 32, 8, true, 0, 0},
    {"Qwen3-8B", 4096, 12288, 0, 36, 32, 8, false, 0, 0},
    {"Qwen3-14B", 5120, 17408, 0, 40, 40, 8, false, 0, 0},
    {"Qwen3-32B", 5120, 25600, 0, 64, 64, 8, false, 0, 0},
    {"Qwen3-30B-A3B", 2048, 6144, 768, 48, 32, 4, false, 128, 8},
    {"Qwen3-235B-A22B", 4096, 12288, 1536, 94, 64, 4, false, 128, 8},
};

const Release& release(const QString& name)
{
    for (const auto& r : kReleases)
        if (name == r.name)
            return r;
    throw std::runtime_error("no release " + name.toStdString());
}

// config.json as published (transformers 4.51 layout).
json releasedConfigJson(const Release& r)
{
    const bool moe = r.experts > 0;
    json j = {{"architectures", {moe ? "Qwen3MoeForCausalLM" : "Qwen3ForCausalLM"}},
              {"attention_bias", false}, {"attention_dropout", 0.0}, {"bos_token_id", 151643},
              {"eos_token_id", 151645}, {"head_dim", 128}, {"hidden_act", "silu"}, {"hidden_size", r.hidden},
              {"initializer_range", 0.02}, {"intermediate_size", r.intermediate},
              {"max_position_embeddings", 40960}, {"max_window_layers", r.layers},
              {"model_type", moe ? "qwen3_moe" : "qwen3"}, {"num_attention_heads", r.heads},
              {"num_hidden_layers", r.layers}, {"num_key_value_heads", r.kvHeads}, {"rms_norm_eps", 1e-06},
              {"rope_scaling", nullptr}, {"rope_theta", 1000000.0}, {"sliding_window", nullptr},
              {"tie_word_embeddings", r.tied}, {"torch_dtype", "bfloat16"}, {"transformers_version", "4.51.0"},
              {"use_cache", true}, {"use_sliding_window", false}, {"vocab_size", 151936}};
    if (moe) {
        j["decoder_sparse_step"] = 1;
        j["mlp_only_layers"] = json::array();
        j["moe_intermediate_size"] = r.moeIntermediate;
        j["norm_topk_prob"] = true;
        j["num_experts"] = r.experts;
        j["num_experts_per_tok"] = r.topK;
        j["output_router_logits"] = false;
        j["router_aux_loss_coef"] = 0.001;
    }
    return j;
}

// What llama.cpp's converter writes for the same model. The embedding has the real width but only 8 rows
// (a full vocabulary would make the file gigabytes): the vocabulary size must come from this tensor.
OwnedGguf releasedGguf(const Release& r, std::int64_t vocabRows = 8)
{
    const bool moe = r.experts > 0;
    const std::string a = moe ? "qwen3moe." : "qwen3.";
    GgufWriter w;
    w.set("general.architecture", GgufValue::ofString(moe ? "qwen3moe" : "qwen3"));
    w.set("general.name", GgufValue::ofString(r.name));
    w.set(a + "block_count", GgufValue::ofU32(static_cast<std::uint32_t>(r.layers)));
    w.set(a + "context_length", GgufValue::ofU32(40960));
    w.set(a + "embedding_length", GgufValue::ofU32(static_cast<std::uint32_t>(r.hidden)));
    w.set(a + "feed_forward_length", GgufValue::ofU32(static_cast<std::uint32_t>(r.intermediate)));
    w.set(a + "attention.head_count", GgufValue::ofU32(static_cast<std::uint32_t>(r.heads)));
    w.set(a + "attention.head_count_kv", GgufValue::ofU32(static_cast<std::uint32_t>(r.kvHeads)));
    w.set(a + "rope.freq_base", GgufValue::ofF32(1000000.0f));
    w.set(a + "attention.layer_norm_rms_epsilon", GgufValue::ofF32(1e-6f));
    w.set(a + "attention.key_length", GgufValue::ofU32(128));
    w.set(a + "attention.value_length", GgufValue::ofU32(128));
    if (moe) {
        w.set(a + "expert_used_count", GgufValue::ofU32(static_cast<std::uint32_t>(r.topK)));
        w.set(a + "expert_count", GgufValue::ofU32(static_cast<std::uint32_t>(r.experts)));
        w.set(a + "expert_feed_forward_length", GgufValue::ofU32(static_cast<std::uint32_t>(r.moeIntermediate)));
    }
    w.set("general.file_type", GgufValue::ofU32(0));
    const auto elements = r.hidden * vocabRows;
    w.addTensor("token_embd.weight", TensorType::F32, {r.hidden, vocabRows},
                roleBytes("token_embd.weight", TensorType::F32, elements));
    if (!r.tied)
        w.addTensor("output.weight", TensorType::F32, {r.hidden, vocabRows},
                    roleBytes("output.weight", TensorType::F32, elements));
    return parseGguf(w, "rel.gguf");
}

} // namespace

class TestModelConfig : public QObject {
    Q_OBJECT

private slots:
    void releasedConfigs_data()
    {
        QTest::addColumn<QString>("name");
        for (const auto& r : kReleases)
            QTest::newRow(r.name) << QString(r.name);
    }

    void releasedConfigs()
    {
        QFETCH(QString, name);
        const Release& r = release(name);
        const bool moe = r.experts > 0;
        const ModelConfig hf = configFromHfConfig(releasedConfigJson(r), "config.json");

        QCOMPARE(hf.architecture, moe ? Architecture::Qwen3Moe : Architecture::Qwen3Dense);
        QCOMPARE(hf.architectureName(), std::string(moe ? "qwen3moe" : "qwen3"));
        QCOMPARE(hf.hiddenSize, r.hidden);
        QCOMPARE(hf.layerCount, r.layers);
        QCOMPARE(hf.headCount, r.heads);
        QCOMPARE(hf.kvHeadCount, r.kvHeads);
        QCOMPARE(hf.headDim, std::int64_t{128});
        QCOMPARE(hf.ffnSize, r.intermediate);
        QCOMPARE(hf.vocabSize, std::int64_t{151936});
        QCOMPARE(hf.expertCount, r.experts);
        QCOMPARE(hf.expertsPerToken, r.topK);
        QCOMPARE(hf.expertFfnSize, r.moeIntermediate);
        QCOMPARE(hf.normTopkProb, moe);
        QCOMPARE(hf.decoderSparseStep, std::int64_t{1});
        QVERIFY(hf.mlpOnlyLayers.empty());
        QCOMPARE(hf.ropeTheta, 1e6);
        QCOMPARE(hf.rmsEpsilon, 1e-6);
        QCOMPARE(hf.contextLength, std::int64_t{40960});
        QCOMPARE(hf.ropeScaling.type, std::string());
        QCOMPARE(hf.tiedEmbeddings, r.tied);
        for (std::int64_t layer = 0; layer < hf.layerCount; ++layer)
            QCOMPARE(hf.isSparseLayer(layer), moe); // releases: every MoE layer is sparse

        // The GGUF conversion of the same model describes the same model (its vocabulary: the tensor's rows).
        const auto gguf = releasedGguf(r);
        const ModelConfig fromGguf = configFromGguf(*gguf, "rel.gguf");
        QCOMPARE(fromGguf.vocabSize, std::int64_t{8});
        QCOMPARE(configDifference(hf, fromGguf, false), QString());
    }

    // head_dim is read, never derived: for five of the releases it is not hidden / heads.
    void headDimIsNotHiddenOverHeads()
    {
        for (const char* name : {"Qwen3-0.6B", "Qwen3-4B", "Qwen3-32B", "Qwen3-30B-A3B", "Qwen3-235B-A22B"}) {
            const Release& r = release(name);
            const auto hf = configFromHfConfig(releasedConfigJson(r), "config.json");
            const auto gguf = configFromGguf(*releasedGguf(r), "rel.gguf");
            QVERIFY2(hf.headDim != r.hidden / r.heads, name);
            QCOMPARE(hf.headDim, std::int64_t{128});
            QCOMPARE(gguf.headDim, std::int64_t{128});
        }
    }

    // Fields a config.json may omit take the transformers class defaults.
    void hfDefaults()
    {
        const auto dense = configFromHfConfig(minimalDenseJson(), "config.json");
        QCOMPARE(dense.kvHeadCount, std::int64_t{16});  // None -> num_attention_heads
        QCOMPARE(dense.headDim, std::int64_t{128});     // Qwen3Config.head_dim, not 1024 / 16
        QCOMPARE(dense.rmsEpsilon, 1e-6);
        QCOMPARE(dense.ropeTheta, 10000.0);
        QCOMPARE(dense.contextLength, std::int64_t{32768});
        QCOMPARE(dense.tiedEmbeddings, false);
        QCOMPARE(dense.ropeScaling.type, std::string());

        json moeJson = minimalDenseJson();
        moeJson["architectures"] = {"Qwen3MoeForCausalLM"};
        moeJson.erase("intermediate_size");
        const auto moe = configFromHfConfig(moeJson, "config.json");
        QCOMPARE(moe.headDim, std::int64_t{64}); // Qwen3MoeConfig has no head_dim: hidden // heads
        QCOMPARE(moe.expertCount, std::int64_t{128});
        QCOMPARE(moe.expertsPerToken, std::int64_t{8});
        QCOMPARE(moe.expertFfnSize, std::int64_t{768});
        QCOMPARE(moe.normTopkProb, false); // the class default; the releases set true
        QCOMPARE(moe.decoderSparseStep, std::int64_t{1});
        QVERIFY(moe.mlpOnlyLayers.empty());
        QCOMPARE(moe.ffnSize, std::int64_t{0});

        // model_type alone identifies the architecture too; null means "default".
        json byType = minimalDenseJson();
        byType.erase("architectures");
        byType["model_type"] = "qwen3";
        byType["num_key_value_heads"] = nullptr;
        QCOMPARE(configFromHfConfig(byType, "c").kvHeadCount, std::int64_t{16});
    }

    // Keys a GGUF may omit take llama.cpp's defaults.
    void ggufDefaults()
    {
        const auto dense = configFromGguf(*ggufWith("qwen3", minimalDenseKeys()), "t.gguf");
        QCOMPARE(dense.kvHeadCount, std::int64_t{4}); // head_count_kv defaults to head_count
        QCOMPARE(dense.headDim, std::int64_t{16});    // no key_length: embedding / heads
        QCOMPARE(dense.ropeTheta, 10000.0);           // llama.cpp's rope_freq_base_train default
        QCOMPARE(dense.vocabSize, std::int64_t{16});
        QCOMPARE(dense.tiedEmbeddings, true);         // no output.weight

        auto moeKeys = std::vector<std::pair<std::string, GgufValue>>{
            {"qwen3moe.block_count", GgufValue::ofU32(2)},
            {"qwen3moe.context_length", GgufValue::ofU32(4096)},
            {"qwen3moe.embedding_length", GgufValue::ofU32(64)},
            {"qwen3moe.feed_forward_length", GgufValue::ofU32(256)},
            {"qwen3moe.attention.head_count", GgufValue::ofU32(4)},
            {"qwen3moe.attention.key_length", GgufValue::ofU32(32)},
            {"qwen3moe.attention.layer_norm_rms_epsilon", GgufValue::ofF32(1e-6f)},
            {"qwen3moe.expert_count", GgufValue::ofU32(8)},
            {"qwen3moe.expert_used_count", GgufValue::ofU32(2)}};
        const auto moe = configFromGguf(*ggufWith("qwen3moe", moeKeys), "t.gguf");
        QCOMPARE(moe.expertFfnSize, std::int64_t{128}); // feed_forward_length / expert_used_count
        QCOMPARE(moe.normTopkProb, true);              // llama.cpp always renormalises for qwen3moe
        QCOMPARE(moe.decoderSparseStep, std::int64_t{1});
        QVERIFY(moe.isSparseLayer(0) && moe.isSparseLayer(1));

        moeKeys.push_back({"qwen3moe.expert_weights_norm", GgufValue::ofBool(false)});
        QCOMPARE(configFromGguf(*ggufWith("qwen3moe", moeKeys), "t.gguf").normTopkProb, false);
    }

    void yarn()
    {
        ModelConfig expected = tinyDense();
        expected.ropeScaling = {"yarn", 4.0, 32768};
        expected.contextLength = 131072;

        json hfJson = hfConfigJson(expected);
        QVERIFY(hfJson["rope_scaling"].is_object());
        const auto hf = configFromHfConfig(hfJson, "config.json");
        QCOMPARE(hf.ropeScaling.type, std::string("yarn"));
        QCOMPARE(hf.ropeScaling.factor, 4.0);
        QCOMPARE(hf.ropeScaling.originalContext, std::int64_t{32768});

        // The older "type" spelling, and newer transformers' rope_parameters object.
        json older = hfJson;
        older["rope_scaling"] = {{"type", "yarn"}, {"factor", 4}, {"original_max_position_embeddings", 32768}};
        QCOMPARE(configDifference(configFromHfConfig(older, "c"), hf), QString());
        json newer = hfJson;
        newer.erase("rope_scaling");
        newer.erase("rope_theta");
        newer["rope_parameters"] = {{"rope_type", "yarn"}, {"rope_theta", 1000000.0}, {"factor", 4.0},
                                    {"original_max_position_embeddings", 32768}};
        QCOMPARE(configDifference(configFromHfConfig(newer, "c"), hf), QString());

        GgufWriter w;
        w.set("general.architecture", GgufValue::ofString("qwen3"));
        setGgufHparams(w, expected);
        w.addTensor("token_embd.weight", TensorType::F32, {64, 256}, roleBytes("e", TensorType::F32, 64 * 256));
        w.addTensor("output.weight", TensorType::F32, {64, 256}, roleBytes("o", TensorType::F32, 64 * 256));
        const auto gguf = configFromGguf(*parseGguf(w, "y.gguf"), "y.gguf");
        QCOMPARE(configDifference(gguf, hf), QString());

        // Without original_context_length, llama.cpp takes the training context.
        GgufWriter bare;
        bare.set("general.architecture", GgufValue::ofString("qwen3"));
        for (const auto& [key, value] : minimalDenseKeys())
            bare.set(key, value);
        bare.set("qwen3.rope.scaling.type", GgufValue::ofString("yarn"));
        bare.set("qwen3.rope.scaling.factor", GgufValue::ofF32(2.0f));
        bare.addTensor("token_embd.weight", TensorType::F32, {64, 4}, roleBytes("e", TensorType::F32, 256));
        QCOMPARE(configFromGguf(*parseGguf(bare, "b"), "b").ropeScaling.originalContext,
                 std::int64_t{4096});

        json linear = hfJson;
        linear["rope_scaling"] = {{"rope_type", "linear"}, {"factor", 2.0}};
        QCOMPARE(errorOf([&] { configFromHfConfig(linear, "config.json"); }),
                 QString("config.json: unsupported rope_scaling.rope_type linear (Ponder supports yarn)"));
        json noFactor = hfJson;
        noFactor["rope_scaling"].erase("factor");
        QCOMPARE(errorOf([&] { configFromHfConfig(noFactor, "config.json"); }),
                 QString("config.json: missing rope_scaling.factor"));
    }

    void sparseLayers()
    {
        json j = hfConfigJson(tinyMoe());
        j["num_hidden_layers"] = 6;
        j["decoder_sparse_step"] = 2;
        j["mlp_only_layers"] = {3};
        const auto config = configFromHfConfig(j, "config.json");
        QCOMPARE(config.decoderSparseStep, std::int64_t{2});
        QCOMPARE(config.mlpOnlyLayers, std::vector<std::int64_t>{3});
        // (layer + 1) % 2 == 0 -> 1, 3, 5; layer 3 is mlp-only.
        const std::vector<bool> expected{false, true, false, false, false, true};
        for (std::int64_t layer = 0; layer < 6; ++layer)
            QCOMPARE(config.isSparseLayer(layer), expected[static_cast<std::size_t>(layer)]);

        const auto dense = tinyDense();
        QVERIFY(!dense.isSparseLayer(0) && !dense.isSparseLayer(1));

        // A dense layer in an MoE model needs intermediate_size.
        j.erase("intermediate_size");
        QCOMPARE(errorOf([&] { configFromHfConfig(j, "config.json"); }),
                 QString("config.json: layer 0 is a dense MLP layer but intermediate_size is missing"));
        j["intermediate_size"] = 128;
        j["mlp_only_layers"] = {6};
        QCOMPARE(errorOf([&] { configFromHfConfig(j, "config.json"); }),
                 QString("config.json: mlp_only_layers lists layer 6, but the model has layers 0..5"));
    }
};

QTEST_GUILESS_MAIN(TestModelConfig)
#include "test_model_config.moc"
