// recommendedSampling: Qwen3's presets per mode and how the model's generation defaults combine with them.
// The rule (engine/sampling/sampling_presets.cpp): in thinking mode every model value applies; without thinking
// only values that differ from Qwen's published thinking values (0.6 / 0.95 / 20 / min-p 0), because Qwen3's
// generation_config.json carries the thinking preset.
#include "core/error.h"
#include "sampling/sampler.h"

#include <QTest>

#include <string>

using namespace ponder;

namespace {

void expectPreset(const SamplingParams& actual, double temperature, double topP, std::int64_t topK, double minP,
                  double repetitionPenalty = 1.0)
{
    QCOMPARE(actual.temperature, temperature);
    QCOMPARE(actual.topP, topP);
    QCOMPARE(actual.topK, topK);
    QCOMPARE(actual.minP, minP);
    QCOMPARE(actual.repetitionPenalty, repetitionPenalty);
    // Never set by a preset: Qwen suggests a presence penalty only as a remedy, and greedy is discouraged.
    QCOMPARE(actual.presencePenalty, 0.0);
    QCOMPARE(actual.frequencyPenalty, 0.0);
    QVERIFY(!actual.greedy);
}

// Qwen3's generation_config.json (every size, April 2025).
GenerationDefaults qwen3GenerationConfig()
{
    GenerationDefaults defaults;
    defaults.temperature = 0.6;
    defaults.topP = 0.95;
    defaults.topK = 20;
    defaults.eosTokenIds = {151645, 151643};
    return defaults;
}

} // namespace

class TestSamplingPresets : public QObject {
    Q_OBJECT

private slots:
    void presetsWithoutModelDefaults()
    {
        expectPreset(recommendedSampling(true, {}), 0.6, 0.95, 20, 0.0);
        expectPreset(recommendedSampling(false, {}), 0.7, 0.8, 20, 0.0);
    }

    // The case the rule is for: Qwen3's own file must not turn non-thinking chats into thinking settings.
    void qwen3GenerationConfigKeepsTheNonThinkingPreset()
    {
        expectPreset(recommendedSampling(true, qwen3GenerationConfig()), 0.6, 0.95, 20, 0.0);
        expectPreset(recommendedSampling(false, qwen3GenerationConfig()), 0.7, 0.8, 20, 0.0);
    }

    // GGUF files store the values as 32-bit floats (llama.cpp's general.sampling.*): 0.6f is still Qwen's 0.6.
    void float32ValuesFromGgufCountAsQwensValues()
    {
        GenerationDefaults gguf;
        gguf.temperature = static_cast<double>(0.6f);
        gguf.topP = static_cast<double>(0.95f);
        gguf.topK = 20;
        gguf.minP = 0.0;
        QVERIFY(*gguf.temperature != 0.6); // the premise
        expectPreset(recommendedSampling(false, gguf), 0.7, 0.8, 20, 0.0);
        const SamplingParams thinking = recommendedSampling(true, gguf);
        QCOMPARE(thinking.temperature, static_cast<double>(0.6f)); // the file's value, as the rule says
        QCOMPARE(thinking.topP, static_cast<double>(0.95f));
    }

    // A fine-tune that publishes its own values gets them in both modes.
    void deliberateModelValuesApplyToBothModes()
    {
        GenerationDefaults tuned;
        tuned.temperature = 1.0;
        tuned.topP = 0.9;
        tuned.topK = 50;
        tuned.minP = 0.05;
        tuned.repetitionPenalty = 1.1;
        expectPreset(recommendedSampling(true, tuned), 1.0, 0.9, 50, 0.05, 1.1);
        expectPreset(recommendedSampling(false, tuned), 1.0, 0.9, 50, 0.05, 1.1);
    }

    // Per field: a file that keeps Qwen's temperature but sets its own top-p.
    void theRuleAppliesFieldByField()
    {
        GenerationDefaults mixed;
        mixed.temperature = 0.6;
        mixed.topP = 0.9;
        expectPreset(recommendedSampling(false, mixed), 0.7, 0.9, 20, 0.0);
        expectPreset(recommendedSampling(true, mixed), 0.6, 0.9, 20, 0.0);

        GenerationDefaults onlyTopK;
        onlyTopK.topK = 40;
        expectPreset(recommendedSampling(false, onlyTopK), 0.7, 0.8, 40, 0.0);
        expectPreset(recommendedSampling(true, onlyTopK), 0.6, 0.95, 40, 0.0);
    }

    // Qwen3-2507 Instruct (non-thinking only) ships 0.7 / 0.8 / 20: they differ from the thinking values, so
    // they apply, and give the non-thinking preset.
    void instruct2507Values()
    {
        GenerationDefaults instruct;
        instruct.temperature = 0.7;
        instruct.topP = 0.8;
        instruct.topK = 20;
        expectPreset(recommendedSampling(false, instruct), 0.7, 0.8, 20, 0.0);
    }

    // A generation_config.json temperature of 0 asks for greedy decoding, which the sampler honours.
    void temperatureZeroFromTheModel()
    {
        GenerationDefaults greedy;
        greedy.temperature = 0.0;
        QCOMPARE(recommendedSampling(false, greedy).temperature, 0.0);
        Sampler sampler(recommendedSampling(true, greedy));
        QCOMPARE(sampler.sample(std::vector<float>{0.0f, 2.0f, 1.0f}, {}, {}), 1);
    }

    // The model reader only rejects negative values; the rest of the ranges are checked here.
    void unusableModelValuesAreErrors()
    {
        const auto expectRejected = [](const GenerationDefaults& defaults, const char* parameter) {
            for (bool thinking : {true, false}) {
                try {
                    recommendedSampling(thinking, defaults);
                    QFAIL(qPrintable(QString("accepted a bad %1").arg(parameter)));
                } catch (const Error& error) {
                    const std::string message = error.what();
                    QVERIFY2(message.find(parameter) != std::string::npos, error.what());
                    QVERIFY2(message.find("generation defaults") != std::string::npos, error.what());
                }
            }
        };
        GenerationDefaults topP;
        topP.topP = 1.5;
        expectRejected(topP, "topP");
        GenerationDefaults zeroTopP;
        zeroTopP.topP = 0.0;
        expectRejected(zeroTopP, "topP");
        GenerationDefaults minP;
        minP.minP = 2.0;
        expectRejected(minP, "minP");
        GenerationDefaults repetition;
        repetition.repetitionPenalty = 0.0;
        expectRejected(repetition, "repetitionPenalty");
    }
};

QTEST_GUILESS_MAIN(TestSamplingPresets)
#include "test_sampling_presets.moc"
