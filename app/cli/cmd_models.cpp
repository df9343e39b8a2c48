// ponder-cli models list [--json] [--context N] | scan | import PATH [--copy|--move|--in-place] | rm ID:
// the app's model library from the command line. It reads and writes what the app does: the models folder
// under the data folder (PONDER_DATA_DIR, else the folder chosen in the app's settings, else the platform's
// app data folder), the folders kept in the app's settings, and the other apps' stores (read-only).
#include "cli_args.h"
#include "cmd_models_pull.h"
#include "commands.h"
#include "core/error.h"
#include "library/library_scan.h"
#include "library/library_settings.h"
#include "library/memory_fit.h"
#include "library/model_files.h"
#include "library/model_stores.h"

#include <QCoreApplication>
#include <QDir>
#include <QSettings>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <map>

namespace ponder::cli {
namespace {

using namespace ponder::library;

std::string str(const QString& s) { return s.toStdString(); }

QString dataDir()
{
    QString dir = qEnvironmentVariable("PONDER_DATA_DIR");
    if (dir.isEmpty())
        dir = QSettings().value(QStringLiteral("storage/dataDir")).toString(); // the app's AppSettings key
    if (dir.isEmpty())
        dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir;
}

QString modelsFolder() { return QDir(dataDir()).filePath(QStringLiteral("models")); }

LibraryPlaces places()
{
    return {modelsFolder(), storedFolders(), storeRootsFromEnvironment(), storedHiddenIds()};
}

std::int64_t contextOption(const CliArgs& cli)
{
    const auto value = cli.value("context");
    if (!value)
        return 4096; // the app's default
    const long long positions = parseInteger(*value, "context");
    if (positions <= 0)
        throw UsageError("--context must be a positive number of positions");
    return positions;
}

nlohmann::ordered_json describe(const ModelEntry& e, std::int64_t context, const MachineMemory& machine)
{
    nlohmann::ordered_json j;
    j["id"] = str(e.id);
    j["name"] = str(e.name);
    j["path"] = str(e.path);
    j["format"] = str(e.format);
    j["source"] = str(e.source);
    nlohmann::ordered_json sources = nlohmann::ordered_json::array();
    for (const QString& s : e.sources())
        sources.push_back(str(s));
    j["sources"] = sources;
    nlohmann::ordered_json locations = nlohmann::ordered_json::array();
    for (const ModelLocation& l : e.locations)
        locations.push_back({{"source", str(l.source)}, {"path", str(l.path)}});
    j["locations"] = locations;
    j["read_only"] = e.readOnly;
    j["hidden"] = e.hidden;
    if (!e.ok()) {
        j["error"] = str(e.error);
        return j;
    }
    j["architecture"] = str(e.architecture);
    j["parameters"] = e.parameters;
    j["file_bytes"] = e.fileBytes;
    const MemoryEstimate estimate = estimateMemory({e.weightsBytes, e.layerCount, e.kvHeadCount, e.headDim}, context);
    j["memory"] = {{"weights_bytes", estimate.weightsBytes},
                   {"kv_cache_bytes", estimate.kvCacheBytes},
                   {"overhead_bytes", estimate.overheadBytes},
                   {"total_bytes", estimate.totalBytes()}};
    j["fit"] = str(fitName(classifyFit(estimate, machine)));
    return j;
}

std::string gib(std::int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

QString sourceNames(const ModelEntry& e)
{
    QStringList names;
    for (const QString& s : e.sources())
        names << sourceDisplayName(s);
    return names.join(QStringLiteral(", "));
}

int listModels(const CliArgs& cli)
{
    if (cli.positionals().size() != 1)
        throw UsageError("models list takes no arguments");
    const std::int64_t context = contextOption(cli);
    const auto entries = scanLibrary(places());
    const MachineMemory machine = detectMachineMemory();
    if (cli.flag("json")) {
        nlohmann::ordered_json j;
        j["context"] = context;
        j["machine"] = {{"gpu", str(machine.gpuName)}, {"gpu_bytes", machine.gpuBytes}, {"ram_bytes", machine.ramBytes}};
        nlohmann::ordered_json models = nlohmann::ordered_json::array();
        for (const ModelEntry& e : entries)
            models.push_back(describe(e, context, machine));
        j["models"] = models;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    for (const ModelEntry& e : entries) {
        const auto j = describe(e, context, machine);
        std::cout << str(e.id) << "  " << str(e.name) << (e.hidden ? "  (hidden)" : "") << "\n"
                  << "    " << str(e.path) << "\n"
                  << "    found in " << str(sourceNames(e)) << (e.readOnly ? " (read-only)" : "")
                  << "\n";
        if (e.ok())
            std::cout << "    " << str(e.architecture) << ", needs " << gib(j["memory"]["total_bytes"].get<std::int64_t>())
                      << " at " << context << " positions: "
                      << str(fitText(classifyFit(estimateMemory({e.weightsBytes, e.layerCount, e.kvHeadCount, e.headDim}, context), machine)))
                      << "\n";
        else
            std::cout << "    cannot be read: " << str(e.error) << "\n";
    }
    return 0;
}

int scanCommand(const CliArgs& cli)
{
    if (cli.positionals().size() != 1)
        throw UsageError("models scan takes no arguments");
    const LibraryPlaces where = places();
    const auto entries = scanLibrary(where);
    std::map<QString, int> perSource;
    int failed = 0;
    for (const ModelEntry& e : entries) {
        for (const QString& s : e.sources())
            ++perSource[s];
        failed += e.ok() ? 0 : 1;
    }
    std::cout << entries.size() << " models, " << failed << " that cannot be read\n";
    for (const auto& [source, count] : perSource)
        std::cout << "  " << str(source) << ": " << count << "\n";
    for (const ModelEntry& e : entries)
        if (!e.ok())
            std::cout << "  " << str(e.id) << " " << str(e.name) << ": " << str(e.error) << "\n";
    return 0;
}

int importModel(const CliArgs& cli)
{
    if (cli.positionals().size() != 2)
        throw UsageError("models import takes one PATH");
    const int modes = int(cli.flag("copy")) + int(cli.flag("move")) + int(cli.flag("in-place"));
    if (modes > 1)
        throw UsageError("choose one of --copy, --move and --in-place");
    const ImportMode mode = cli.flag("in-place") ? ImportMode::InPlace : cli.flag("move") ? ImportMode::Move : ImportMode::Copy;
    const ImportResult imported = importModelFiles(QString::fromStdString(cli.positionals()[1]), modelsFolder(), mode);
    if (!imported.ok)
        throw Error(str(imported.error));
    if (!imported.warning.isEmpty())
        std::cerr << "ponder-cli: " << str(imported.warning) << "\n";
    if (mode == ImportMode::InPlace) {
        QStringList folders = storedFolders();
        if (!folders.contains(imported.path)) {
            folders << imported.path;
            storeFolders(folders);
        }
        std::cout << "added " << str(imported.name) << " in place as " << str(imported.id) << ": " << str(imported.path) << "\n";
        return 0;
    }
    std::cout << (mode == ImportMode::Move ? "moved " : "copied ") << str(imported.name) << " as " << str(imported.id)
              << ": " << str(imported.path) << "\n";
    return 0;
}

int removeModel(const CliArgs& cli)
{
    if (cli.positionals().size() != 2)
        throw UsageError("models rm takes one ID (see ponder-cli models list)");
    const QString id = QString::fromStdString(cli.positionals()[1]);
    const LibraryPlaces where = places();
    const auto entries = scanLibrary(where);
    const ModelEntry* found = nullptr;
    for (const ModelEntry& e : entries)
        if (e.id == id)
            found = &e;
    if (!found)
        throw Error(str(id) + ": no model has this id (see ponder-cli models list)");
    const DeleteResult deleted = deleteOwnedModel(*found, where.modelsFolder);
    for (const QString& path : deleted.removed)
        std::cout << "removed " << str(path) << "\n";
    if (!deleted.ok)
        throw Error(str(deleted.error));
    if (!deleted.keptIn.isEmpty())
        std::cout << str(found->name) << " stays in " << str(deleted.keptIn.join(QStringLiteral(", "))) << "\n";
    return 0;
}

} // namespace

int runModels(const Args& args)
{
    // QSettings and QStandardPaths need an application, named as the app names itself.
    static int argc = 1;
    static char name[] = "ponder-cli";
    static char* argv[] = {name, nullptr};
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("Ponder"));
    QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));

    if (!args.empty() && args.front() == "pull") // its own options: cmd_models_pull.cpp
        return pullModel(Args(args.begin() + 1, args.end()), modelsFolder());
    const CliArgs cli(args, {"context"}, {"json", "copy", "move", "in-place"});
    const std::string sub = cli.positionals().empty() ? std::string() : cli.positionals().front();
    if (sub == "list")
        return listModels(cli);
    if (cli.flag("json") || cli.value("context"))
        throw UsageError("--json and --context go with models list");
    if (sub != "import" && (cli.flag("copy") || cli.flag("move") || cli.flag("in-place")))
        throw UsageError("--copy, --move and --in-place go with models import");
    if (sub == "scan")
        return scanCommand(cli);
    if (sub == "import")
        return importModel(cli);
    if (sub == "rm")
        return removeModel(cli);
    throw UsageError(sub.empty() ? "models needs a subcommand: list, scan, import, rm or pull"
                                 : "unknown models subcommand '" + sub + "' (list, scan, import, rm)");
}

} // namespace ponder::cli
