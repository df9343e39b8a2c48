#include "library/test_model.h"

#include "core/error.h"
#include "synth/synth.h"

#include <QCoreApplication>
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
    // These reach the Models page, so they are translated (the synthesizer's own errors stay English).
    if (!QFileInfo::exists(QDir(tokenizerDir).filePath(QStringLiteral("tokenizer.json"))))
        throw Error(QCoreApplication::translate("TestModel", "the Qwen3 tokenizer the test model needs is not in %1 "
                                                "(run installer/fetch-tokenizer.sh, or set PONDER_TOKENIZER_DIR to its folder)")
                        .arg(tokenizerDir)
                        .toStdString());
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        throw Error(QCoreApplication::translate("TestModel", "cannot create the folder %1")
                        .arg(QFileInfo(path).absolutePath())
                        .toStdString());
    SynthOptions options;
    options.preset = kScriptedPreset;
    options.type = "q8_0";
    options.tokenizerDir = tokenizerDir.toStdString();
    options.out = path.toStdString();
    writeSyntheticModel(options);
}

} // namespace ponder::library
