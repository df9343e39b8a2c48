// HfFolder: single-file and sharded model folders, optional configs, and the ways a downloaded folder can be
// incomplete, inconsistent or hostile.
#include "safetensors/hf_folder.h"
#include "safetensors_test_util.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace ponder;
using namespace ponder::test;

namespace fs = std::filesystem;

namespace {

// Writes a shard holding one F32 tensor of `values` per name.
void writeShard(const fs::path& path, const std::vector<std::pair<std::string, std::vector<float>>>& tensors)
{
    SafetensorsWriter writer;
    for (const auto& [name, values] : tensors)
        writer.add(name, TensorType::F32, {static_cast<std::int64_t>(values.size())}, f32Bytes(values));
    writer.write(path);
}

void writeIndex(const fs::path& folder, const std::string& weightMap)
{
    writeFile(folder / "model.safetensors.index.json",
              R"({"metadata":{"total_size":0},"weight_map":)" + weightMap + "}");
}

float firstValue(const TensorView* t)
{
    float v = 0;
    std::memcpy(&v, t->data.data(), sizeof v);
    return v;
}

// A folder with config.json, two shards and their index. Shard 2 also holds "extra", which the index omits.
struct ShardedFolder {
    QTemporaryDir dir;
    fs::path path = dir.path().toStdString();

    ShardedFolder()
    {
        writeFile(path / "config.json", R"({"model_type":"qwen3","hidden_size":8})");
        writeShard(path / "model-00001-of-00002.safetensors", {{"b.weight", {2, 3}}, {"a.weight", {1}}});
        writeShard(path / "model-00002-of-00002.safetensors", {{"c.weight", {4, 5, 6}}, {"extra", {9}}});
        writeIndex(path, R"({"a.weight":"model-00001-of-00002.safetensors",)"
                         R"("b.weight":"model-00001-of-00002.safetensors",)"
                         R"("c.weight":"model-00002-of-00002.safetensors"})");
    }
};

} // namespace

class TestHfFolder : public QObject {
    Q_OBJECT

private slots:
    void opensSingleFileFolderWithoutOptionalConfigs()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        writeFile(folder / "config.json", R"({"model_type":"qwen3"})");
        writeShard(folder / "model.safetensors", {{"z", {1, 2}}, {"y", {3}}});

        auto hf = HfFolder::open(folder);
        QCOMPARE(hf->path(), folder);
        QCOMPARE(hf->config()["model_type"].get<std::string>(), std::string("qwen3"));
        QVERIFY(!hf->generationConfig());
        QVERIFY(!hf->tokenizerConfig());
        QCOMPARE(hf->tokenizerJsonPath(), folder / "tokenizer.json");
        QCOMPARE(hf->tensors().size(), std::size_t(2));
        QCOMPARE(hf->tensors()[0].name, std::string("y"));
        QCOMPARE(hf->tensors()[1].name, std::string("z"));
        QCOMPARE(firstValue(hf->tensor("z")), 1.0f);
        QVERIFY(!hf->tensor("x"));
        QCOMPARE(hf->weightFileBytes(), std::uint64_t(fs::file_size(folder / "model.safetensors")));
    }

    void opensShardedFolderWithConfigs()
    {
        ShardedFolder f;
        writeFile(f.path / "generation_config.json", R"({"temperature":0.6,"top_p":0.95})");
        writeFile(f.path / "tokenizer_config.json", R"({"chat_template":"{{ messages }}"})");

        auto hf = HfFolder::open(f.path);
        QVERIFY(hf->generationConfig());
        QCOMPARE((*hf->generationConfig())["temperature"].get<double>(), 0.6);
        QVERIFY(hf->tokenizerConfig());
        QCOMPARE((*hf->tokenizerConfig())["chat_template"].get<std::string>(), std::string("{{ messages }}"));

        std::vector<std::string> names;
        for (const auto& t : hf->tensors())
            names.push_back(t.name);
        // "extra" is not in the index but is in a shard, so it is still exposed.
        QCOMPARE(names, (std::vector<std::string>{"a.weight", "b.weight", "c.weight", "extra"}));
        QCOMPARE(firstValue(hf->tensor("b.weight")), 2.0f);
        QCOMPARE(firstValue(hf->tensor("c.weight")), 4.0f);
        QCOMPARE(hf->tensor("c.weight")->dims, (std::vector<std::int64_t>{3}));
        QCOMPARE(firstValue(hf->tensor("extra")), 9.0f);
        QCOMPARE(hf->weightFileBytes(), std::uint64_t(fs::file_size(f.path / "model-00001-of-00002.safetensors") +
                                                      fs::file_size(f.path / "model-00002-of-00002.safetensors")));
    }

    void requiresConfigJson()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        writeShard(folder / "model.safetensors", {{"a", {1}}});
        PONDER_EXPECT_ERROR(HfFolder::open(folder),
                            folder.string() + ": not a Hugging Face model folder (no config.json)");
        PONDER_EXPECT_ERROR(HfFolder::open(folder / "absent"), (folder / "absent").string() + ": not a folder");
    }

    void rejectsInvalidJsonConfigs_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("config") << "config.json";
        QTest::newRow("generation") << "generation_config.json";
        QTest::newRow("tokenizer") << "tokenizer_config.json";
        QTest::newRow("index") << "model.safetensors.index.json";
    }

    void rejectsInvalidJsonConfigs()
    {
        QFETCH(QString, file);
        ShardedFolder f;
        writeFile(f.path / file.toStdString(), R"({"temperature": 0.6,)");
        PONDER_EXPECT_ERROR(HfFolder::open(f.path), (f.path / file.toStdString()).string() + ": invalid JSON: ");
    }

    void configMustBeAnObject()
    {
        ShardedFolder f;
        writeFile(f.path / "config.json", "[]");
        PONDER_EXPECT_ERROR(HfFolder::open(f.path), (f.path / "config.json").string() + ": not a JSON object");
    }

    void requiresWeights()
    {
        QTemporaryDir dir;
        const fs::path folder = dir.path().toStdString();
        writeFile(folder / "config.json", "{}");
        PONDER_EXPECT_ERROR(HfFolder::open(folder),
                            folder.string() +
                                ": no weights (neither model.safetensors nor model.safetensors.index.json)");
    }

    void rejectsMissingShard()
    {
        ShardedFolder f;
        fs::remove(f.path / "model-00002-of-00002.safetensors");
        PONDER_EXPECT_ERROR(HfFolder::open(f.path),
                            (f.path / "model.safetensors.index.json").string() +
                                ": shard model-00002-of-00002.safetensors (listed for tensor c.weight) is missing");
    }

    void rejectsShardPathsOutsideTheFolder_data()
    {
        QTest::addColumn<QString>("shard");
        QTest::newRow("parent") << "../model-00001-of-00002.safetensors";
        QTest::newRow("absolute") << "/etc/passwd";
        QTest::newRow("subfolder") << "sub/model.safetensors";
        QTest::newRow("backslash") << "..\\model.safetensors";
        QTest::newRow("dotdot") << "..";
        QTest::newRow("empty") << "";
    }

    void rejectsShardPathsOutsideTheFolder()
    {
        QFETCH(QString, shard);
        ShardedFolder f;
        const nlohmann::json map = {{"a.weight", shard.toStdString()}};
        writeIndex(f.path, map.dump());
        PONDER_EXPECT_ERROR(HfFolder::open(f.path), "shard " + map["a.weight"].dump() +
                                                        " for tensor a.weight is not a plain file name inside "
                                                        "the folder");
    }

    void rejectsTensorMissingFromItsShard()
    {
        ShardedFolder f;
        writeIndex(f.path, R"({"a.weight":"model-00001-of-00002.safetensors",)"
                           R"("c.weight":"model-00001-of-00002.safetensors"})");
        PONDER_EXPECT_ERROR(HfFolder::open(f.path),
                            (f.path / "model.safetensors.index.json").string() +
                                ": tensor c.weight is mapped to model-00001-of-00002.safetensors, which does not "
                                "contain it");
    }

    void rejectsDuplicateTensorAcrossShards()
    {
        ShardedFolder f;
        writeShard(f.path / "model-00002-of-00002.safetensors", {{"c.weight", {4}}, {"a.weight", {7}}});
        PONDER_EXPECT_ERROR(HfFolder::open(f.path),
                            f.path.string() + ": tensor a.weight appears in both model-00001-of-00002.safetensors "
                                              "and model-00002-of-00002.safetensors");
    }

    void rejectsMalformedIndex_data()
    {
        QTest::addColumn<QString>("index");
        QTest::addColumn<QString>("expected");
        QTest::newRow("array") << "[]" << "not a JSON object";
        QTest::newRow("no weight_map") << R"({"metadata":{}})" << "has no \"weight_map\"";
        QTest::newRow("weight_map array") << R"({"weight_map":[]})" << "\"weight_map\" is not an object";
        QTest::newRow("shard not string") << R"({"weight_map":{"a.weight":1}})"
                                          << "\"weight_map\" entry for tensor a.weight is not a file name string";
        QTest::newRow("empty weight_map") << R"({"weight_map":{}})" << "\"weight_map\" lists no tensors";
    }

    void rejectsMalformedIndex()
    {
        QFETCH(QString, index);
        QFETCH(QString, expected);
        ShardedFolder f;
        writeFile(f.path / "model.safetensors.index.json", index.toStdString());
        PONDER_EXPECT_ERROR(HfFolder::open(f.path), (f.path / "model.safetensors.index.json").string() + ": " +
                                                        expected.toStdString());
    }

    void corruptShardNamesTheShard()
    {
        ShardedFolder f;
        writeFile(f.path / "model-00002-of-00002.safetensors", "short");
        PONDER_EXPECT_ERROR(HfFolder::open(f.path),
                            (f.path / "model-00002-of-00002.safetensors").string() + ": file is 5 bytes");
    }

    void readJsonFileReportsUnreadableFiles()
    {
        QTemporaryDir dir;
        const fs::path missing = fs::path(dir.path().toStdString()) / "nope.json";
        PONDER_EXPECT_ERROR(readJsonFile(missing), missing.string() + ": cannot open");
        const fs::path bad = fs::path(dir.path().toStdString()) / "bad.json";
        writeFile(bad, "{\"a\":\"\xFF\"}");
        PONDER_EXPECT_ERROR(readJsonFile(bad), bad.string() + ": invalid JSON: ");
        writeFile(bad, R"({"a":[1,2]})");
        QCOMPARE(readJsonFile(bad)["a"][1].get<int>(), 2);
    }
};

QTEST_GUILESS_MAIN(TestHfFolder)
#include "test_hf_folder.moc"
