#include "library/library_scan.h"

#include "library/model_identity.h"
#include "library/model_scan.h"

#include <algorithm>

namespace ponder::library {

void mergeEntry(std::vector<ModelEntry>& entries, std::vector<QString>& fingerprints, ModelEntry found)
{
    const auto addLocations = [&found](ModelEntry& into) {
        for (const ModelLocation& location : found.locations)
            if (std::find(into.locations.begin(), into.locations.end(), location) == into.locations.end())
                into.locations.push_back(location);
        into.readOnly = into.readOnly && found.readOnly;
    };
    for (ModelEntry& e : entries) {
        const bool samePath = std::any_of(e.locations.begin(), e.locations.end(),
                                          [&found](const ModelLocation& l) { return l.path == found.path; });
        if (samePath) {
            addLocations(e);
            return;
        }
    }
    // A failed read has nothing to compare; a copy of a good model reads the same, so only good ones match.
    const QString fingerprint = found.ok() ? contentFingerprint(found.path) : QString();
    if (!fingerprint.isEmpty()) {
        for (std::size_t i = 0; i < entries.size(); ++i) {
            if (fingerprints[i] == fingerprint && entries[i].format == found.format) {
                addLocations(entries[i]);
                return;
            }
        }
    }
    entries.push_back(std::move(found));
    fingerprints.push_back(fingerprint);
}

std::vector<ModelEntry> scanLibrary(const LibraryPlaces& places)
{
    std::vector<ModelEntry> entries;
    std::vector<QString> fingerprints;
    // Each place on its own, so that a model in two of them keeps both locations.
    for (ModelEntry& e : scanModels({{places.modelsFolder, QStringLiteral("ponder")}}))
        mergeEntry(entries, fingerprints, std::move(e));
    for (const QString& folder : places.folders)
        for (ModelEntry& e : scanModels({{folder, QStringLiteral("folder")}}))
            mergeEntry(entries, fingerprints, std::move(e));
    for (ModelEntry& e : scanStores(places.stores))
        mergeEntry(entries, fingerprints, std::move(e));
    for (ModelEntry& e : entries)
        e.hidden = places.hidden.contains(e.id);
    std::stable_sort(entries.begin(), entries.end(), [](const ModelEntry& a, const ModelEntry& b) {
        return QString::localeAwareCompare(a.name, b.name) < 0;
    });
    return entries;
}

} // namespace ponder::library
