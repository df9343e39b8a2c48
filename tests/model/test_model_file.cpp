// ModelFile::open end to end: one tiny model (hidden 64, 2 layers) with the real Qwen3 vocabulary (151936
// rows), tokenizer, chat template and generation defaults, written as a GGUF file and as a Hugging Face folder.
// Both must open to the same description, tokenize alike, carry the same template (hybrid thinking) and stop
// ids; paths that are neither format get one clear message.
#include "model/model_file.h"
#include "model_test_util.h"
#include "test_support.h"
#include "tiny_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace ponder;
using namespace ponder::test;

namespace {

ModelConfig realVocabConfig()
{
    ModelConfig config = tinyDense();
    config.vocabSize = 151936;
    config.tiedEmbeddings = true; // like the 0.6B: keeps the files to one 151936-row matrix (F16, ~19 MB)
    config.contextLength = 40960;
    return config;
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::filesystem::path ggufPath_, hfPath_;
    std::unique_ptr<ModelFile> gguf_, hf_;

    std::filesystem::path path(const char* name) const { return dir_.filePath(name).toStdString(); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        TinyOptions options;
        options.matrixType = TensorType::F16;
        options.withTokenizer = true;
        ggufPath_ = path("tiny.gguf");
        hfPath_ = path("Tiny-Qwen3-HF");
        writeGgufModel(ggufPath_, realVocabConfig(), options);
        writeHfModel(hfPath_, realVocabConfig(), options);
        gguf_ = ModelFile::open(ggufPath_);
        hf_ = ModelFile::open(hfPath_);
    }

    void formatsAndNames()
    {
        QCOMPARE(gguf_->format(), ModelFormat::Gguf);
        QCOMPARE(hf_->format(), ModelFormat::HuggingFace);
        QCOMPARE(gguf_->path(), ggufPath_);
        QCOMPARE(gguf_->modelName(), std::string("Tiny Qwen3")); // general.name
        QCOMPARE(hf_->modelName(), std::string("Tiny-Qwen3-HF")); // the folder
        // A trailing slash names the same folder.
        QCOMPARE(ModelFile::open(hfPath_.string() + "/")->modelName(), std::string("Tiny-Qwen3-HF"));
    }

    void sameConfig()
    {
        QCOMPARE(configDifference(gguf_->config(), hf_->config()), QString());
        QCOMPARE(configDifference(gguf_->config(), realVocabConfig()), QString());
        QCOMPARE(gguf_->weights().output.data.data(), gguf_->weights().embedding.data.data());
        QCOMPARE(hf_->weights().output.data.data(), hf_->weights().embedding.data.data());
    }

    void sameTokenizer()
    {
        const std::string sample = "<|im_start|>user\nHello, world! Ünïcödé 12345 <think>\n</think><|im_end|>";
        const auto fromGguf = gguf_->tokenizer().encode(sample);
        const auto fromHf = hf_->tokenizer().encode(sample);
        QVERIFY(fromGguf.size() > 10);
        QCOMPARE(fromGguf, fromHf);
        QCOMPARE(fromGguf.front(), 151644); // <|im_start|>
        QCOMPARE(fromGguf.back(), 151645);  // <|im_end|>
        QCOMPARE(gguf_->tokenizer().decode(fromGguf), sample);
        QCOMPARE(gguf_->tokenizer().tokenId("<think>"), std::optional<std::int32_t>(151667));
        QCOMPARE(hf_->tokenizer().tokenId("</think>"), std::optional<std::int32_t>(151668));
    }

    void sameTemplateAndThinking()
    {
        const auto config = nlohmann::json::parse(readFile(tokenizerConfigJson()));
        const auto expected = config["chat_template"].get<std::string>();
        QVERIFY(!expected.empty());
        QCOMPARE(gguf_->chatTemplate(), expected);
        QCOMPARE(hf_->chatTemplate(), expected);
        QCOMPARE(gguf_->thinking(), ThinkingSupport::Hybrid);
        QCOMPARE(hf_->thinking(), ThinkingSupport::Hybrid);
    }

    void generationDefaults()
    {
        for (const ModelFile* model : {gguf_.get(), hf_.get()}) {
            const auto& defaults = model->generationDefaults();
            // GGUF: eos_token_id plus <|endoftext|>; HF: generation_config.json's list. Same set, same order.
            QCOMPARE(defaults.eosTokenIds, (std::vector<std::int32_t>{151645, 151643}));
            QVERIFY(defaults.temperature && std::abs(*defaults.temperature - 0.6) < 1e-6);
            QVERIFY(defaults.topP && std::abs(*defaults.topP - 0.95) < 1e-6);
            QCOMPARE(defaults.topK, std::optional<std::int64_t>(20));
            QVERIFY(!defaults.minP);
            QVERIFY(!defaults.repetitionPenalty);
        }
    }

    void sizesAndTypeMix()
    {
        const ModelConfig c = realVocabConfig();
        const std::int64_t perLayer = 2 * c.hiddenSize + 2 * c.headDim + // norms
                                      c.hiddenSize * c.headCount * c.headDim * 2 +
                                      c.hiddenSize * c.kvHeadCount * c.headDim * 2 + 3 * c.hiddenSize * c.ffnSize;
        const std::int64_t expected = c.hiddenSize * c.vocabSize + c.hiddenSize + c.layerCount * perLayer;
        QCOMPARE(gguf_->parameterCount(), expected);
        QCOMPARE(hf_->parameterCount(), expected);

        for (const ModelFile* model : {gguf_.get(), hf_.get()}) {
            const auto mix = model->typeMix();
            QCOMPARE(mix.size(), std::size_t{2});
            const auto& f16 = mix.at(TensorType::F16);
            const auto& f32 = mix.at(TensorType::F32);
            QCOMPARE(f16.tensors, std::int64_t{1 + 2 * 7}); // embedding + q k v o gate up down per layer
            QCOMPARE(f32.tensors, std::int64_t{1 + 2 * 4}); // output norm + four norms per layer
            QCOMPARE(f16.elements + f32.elements, expected);
            QCOMPARE(f16.bytes, std::uint64_t(f16.elements) * 2);
            QCOMPARE(f32.bytes, std::uint64_t(f32.elements) * 4);
        }
        QCOMPARE(gguf_->fileBytes(), std::uint64_t(std::filesystem::file_size(ggufPath_)));
        QCOMPARE(hf_->fileBytes(), std::uint64_t(std::filesystem::file_size(hfPath_ / "model.safetensors")));
        QVERIFY(hf_->fileBytes() < gguf_->fileBytes()); // the GGUF also holds the tokenizer
    }

    void notAModel()
    {
        const auto text = path("notes.txt");
        writeFile(text, "GGU is not a magic number\n");
        QCOMPARE(errorOf([&] { ModelFile::open(text); }),
                 QString::fromStdString(text.string()) + ": not a GGUF file or a Hugging Face model folder");
        const auto empty = path("empty-folder");
        std::filesystem::create_directory(empty);
        QCOMPARE(errorOf([&] { ModelFile::open(empty); }),
                 QString::fromStdString(empty.string()) + ": not a GGUF file or a Hugging Face model folder");
        const auto tiny = path("tiny.bin");
        writeFile(tiny, "GG");
        QCOMPARE(errorOf([&] { ModelFile::open(tiny); }),
                 QString::fromStdString(tiny.string()) + ": not a GGUF file or a Hugging Face model folder");
        const auto missing = path("no-such-model.gguf");
        QCOMPARE(errorOf([&] { ModelFile::open(missing); }),
                 QString::fromStdString(missing.string()) + ": no such file or folder");
    }

    // tokenizer_config.json may list several templates; transformers uses the one named "default".
    void templateListAndMissingTokenizer()
    {
        const auto folder = path("listed");
        std::filesystem::create_directory(folder);
        for (const char* name : {"config.json", "model.safetensors", "tokenizer.json"})
            std::filesystem::copy_file(hfPath_ / name, folder / name);
        auto tokenizerConfig = nlohmann::json::parse(readFile(tokenizerConfigJson()));
        tokenizerConfig["chat_template"] = {{{"name", "tool_use"}, {"template", "{{ tools }}"}},
                                            {{"name", "default"}, {"template", "{{ messages }}"}}};
        writeFile(folder / "tokenizer_config.json", tokenizerConfig.dump());
        const auto model = ModelFile::open(folder);
        QCOMPARE(model->chatTemplate(), std::string("{{ messages }}"));
        QCOMPARE(model->thinking(), ThinkingSupport::None);
        // No generation_config.json: config.json's eos_token_id, completed with <|endoftext|>.
        QCOMPARE(model->generationDefaults().eosTokenIds, (std::vector<std::int32_t>{151645, 151643}));
        QVERIFY(!model->generationDefaults().temperature);

        tokenizerConfig["chat_template"] = {{{"name", "tool_use"}, {"template", "{{ tools }}"}}};
        writeFile(folder / "tokenizer_config.json", tokenizerConfig.dump());
        QCOMPARE(errorOf([&] { ModelFile::open(folder); }),
                 QString::fromStdString((folder / "tokenizer_config.json").string()) +
                     ": chat_template lists no template named \"default\"");

        tokenizerConfig.erase("chat_template");
        writeFile(folder / "tokenizer_config.json", tokenizerConfig.dump());
        const auto untemplated = ModelFile::open(folder);
        QCOMPARE(untemplated->chatTemplate(), std::string());
        QCOMPARE(untemplated->thinking(), ThinkingSupport::None);

        std::filesystem::remove(folder / "tokenizer.json");
        QCOMPARE(errorOf([&] { ModelFile::open(folder); }),
                 QString::fromStdString(folder.string()) + ": missing tokenizer.json");
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "test_model_file.moc"
