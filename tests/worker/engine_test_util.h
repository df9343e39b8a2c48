#pragma once
// What the app-side tests share: synthetic models written into a scratch folder, and an Engine with one
// loaded on the CPU backend.
#include "synth/synth.h"
#include "test_support.h"
#include "worker/engine.h"

#include <QSignalSpy>
#include <QTemporaryDir>

#include <string>

namespace ponder::test {

// `preset` (e.g. kScriptedPreset, "tiny-dense") as f32 GGUF `file` in `dir`; returns its path.
inline std::string writeTestModel(const QTemporaryDir& dir, const std::string& preset, const std::string& file)
{
    SynthOptions o;
    o.preset = preset;
    o.tokenizerDir = tokenizerJson().parent_path();
    o.out = dir.filePath(QString::fromStdString(file)).toStdString();
    writeSyntheticModel(o);
    return o.out.string();
}

inline app::LoadRequest cpuLoad(const std::string& path)
{
    app::LoadRequest r;
    r.path = QString::fromStdString(path);
    r.backend.backend = "cpu";
    return r;
}

// Loads `path` on the CPU backend and waits for it; a model that does not load ends the test run.
inline app::ModelSummary loadOnCpu(app::Engine& engine, const std::string& path)
{
    QSignalSpy loaded(&engine, &app::Engine::loaded);
    engine.load(cpuLoad(path));
    if (!loaded.wait(60000))
        qFatal("the model did not load");
    return loaded.takeFirst().at(0).value<app::ModelSummary>();
}

} // namespace ponder::test
