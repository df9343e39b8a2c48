#include "library/test_model.h"

#include "core/error.h"
#include "synth/synth.h"

#include <QDir>
#include <QFileInfo>

namespace ponder::library {

QString testModelTokenizerDir()
{
    const QString overridden = qEnvironmentVariable("PONDER_TOKENIZER_DIR");
    return overridden.isEmpty() ? QStringLiteral(PONDER_DEFAULT_TOKENIZER_DIR) : overridden;
}

void writeTestModel(const QString& path, const QString& tokenizerDir)
{
    if (!QFileInfo::exists(QDir(tokenizerDir).filePath(QStringLiteral("tokenizer.json"))))
        throw Error("the Qwen3 tokenizer the test model needs is not in " + tokenizerDir.toStdString() +
                    " (run installer/fetch-tokenizer.sh, or set PONDER_TOKENIZER_DIR to its folder)");
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        throw Error("cannot create the folder " + QFileInfo(path).absolutePath().toStdString());
    SynthOptions options;
    options.preset = kScriptedPreset;
    options.type = "q8_0";
    options.tokenizerDir = tokenizerDir.toStdString();
    options.out = path.toStdString();
    writeSyntheticModel(options);
}

} // namespace ponder::library
