#include "library/model_files.h"

#include "library/model_identity.h"
#include "library/model_scan.h"
#include "library/model_stores.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QStorageInfo>

namespace ponder::library {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("ModelFiles", text);
}

bool removePath(const QString& path)
{
    return QFileInfo(path).isDir() && !QFileInfo(path).isSymLink() ? QDir(path).removeRecursively() : QFile::remove(path);
}

// "1.2 GB (1234567890 bytes)": readable, and exact for whoever compares it with `df`.
QString bytesText(qint64 bytes)
{
    return tr("%1 (%2 bytes)").arg(QLocale().formattedDataSize(bytes)).arg(bytes);
}

// Copies a file or a folder (recursively, links followed) to `target`, which must not exist, through
// "<target>.part" renamed at the end. Returns the error, empty on success; nothing is left on failure.
QString copyModel(const QString& from, const QString& target)
{
    const QString part = target + QStringLiteral(".part");
    const auto fail = [&](const QString& what) {
        removePath(part);
        return tr("%1: cannot copy to %2 (%3)").arg(from, target, what);
    };
    if (QFileInfo(from).isDir()) {
        if (!QDir().mkpath(part))
            return fail(tr("cannot create %1").arg(part));
        QDirIterator it(from, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            const QString to = QDir(part).filePath(QDir(from).relativeFilePath(file));
            QDir().mkpath(QFileInfo(to).absolutePath());
            if (!QFile::copy(QFileInfo(file).canonicalFilePath(), to))
                return fail(file);
        }
    } else {
        QFile source(from);
        if (!source.copy(part))
            return fail(source.errorString());
    }
    if (!QDir().rename(part, target))
        return fail(tr("rename failed"));
    return {};
}

ImportResult failed(const QString& error)
{
    ImportResult r;
    r.error = error;
    return r;
}

} // namespace

std::optional<ImportMode> importModeFromName(const QString& name)
{
    if (name == QLatin1String("copy"))
        return ImportMode::Copy;
    if (name == QLatin1String("move"))
        return ImportMode::Move;
    if (name == QLatin1String("inPlace"))
        return ImportMode::InPlace;
    return std::nullopt;
}

qint64 availableBytesAt(const QString& folder)
{
    return QStorageInfo(folder).bytesAvailable();
}

QString freeSpaceShortage(qint64 needed, qint64 available, const QString& folder)
{
    if (needed <= available)
        return {};
    return tr("%1: not enough free space: the model needs %2, and %3 are free")
        .arg(folder, bytesText(needed), bytesText(std::max<qint64>(available, 0)));
}

qint64 bytesToCopy(const QString& path)
{
    const QFileInfo info(path);
    if (!info.isDir())
        return info.size(); // a link's target's size
    qint64 total = 0;
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

ImportResult importModelFiles(const QString& sourcePath, const QString& modelsFolder, ImportMode mode,
                              const FreeSpaceProbe& freeSpace)
{
    const QFileInfo info(sourcePath);
    if (sourcePath.isEmpty() || !info.exists())
        return failed(tr("%1: no such file or folder").arg(sourcePath));
    const QString source = QDir::cleanPath(info.absoluteFilePath());
    const ModelEntry read = readModelEntry(source, QStringLiteral("folder"));
    if (!read.ok())
        return failed(read.error);

    ImportResult result;
    result.name = read.name;
    if (mode == ImportMode::InPlace) {
        result.ok = true;
        result.path = source;
        result.id = read.id;
        return result;
    }

    if (!QDir().mkpath(modelsFolder))
        return failed(tr("%1: cannot create the models folder").arg(modelsFolder));
    const QString target = QDir(modelsFolder).filePath(info.fileName());
    if (QFileInfo::exists(target) || QFileInfo(target).isSymLink())
        return failed(tr("%1: already exists in Ponder's models folder").arg(target));
    // A download's (or another import's) unfinished part: never written over.
    if (QFileInfo::exists(target + QStringLiteral(".part")))
        return failed(tr("%1.part: a download or import of this name is unfinished in Ponder's models folder").arg(target));

    const auto copyAfterCheck = [&]() -> QString {
        const QString shortage = freeSpaceShortage(bytesToCopy(source), freeSpace(modelsFolder), modelsFolder);
        return shortage.isEmpty() ? copyModel(source, target) : shortage;
    };
    if (mode == ImportMode::Move) {
        // A rename when on the same file system, else a copy and then the original removed.
        if (!QDir().rename(source, target)) {
            if (const QString error = copyAfterCheck(); !error.isEmpty())
                return failed(error);
            if (!removePath(source))
                result.warning = tr("copied, but could not remove %1").arg(source);
        }
    } else if (const QString error = copyAfterCheck(); !error.isEmpty()) {
        return failed(error);
    }
    result.ok = true;
    result.path = QFileInfo(target).canonicalFilePath();
    result.id = modelId(result.path);
    return result;
}

DeleteResult deleteOwnedModel(const ModelEntry& entry, const QString& modelsFolder, const QString& inUsePath)
{
    DeleteResult result;
    const QString ownFolder = QFileInfo(modelsFolder).canonicalFilePath();
    QStringList own;
    for (const ModelLocation& l : entry.locations) {
        if (l.source == QLatin1String("ponder") && !ownFolder.isEmpty() && l.path.startsWith(ownFolder + QLatin1Char('/')))
            own << l.path;
        else if (!result.keptIn.contains(sourceDisplayName(l.source)))
            result.keptIn << sourceDisplayName(l.source);
    }
    if (own.isEmpty()) {
        result.error = tr("%1 (%2) belongs to %3, and Ponder does not delete it; hide it in the app's Models page instead")
                           .arg(entry.name, entry.id, result.keptIn.join(QStringLiteral(", ")));
        return result;
    }
    const QString inUse = QFileInfo(inUsePath).canonicalFilePath();
    if (!inUse.isEmpty() && own.contains(inUse)) {
        result.error = tr("%1 is loaded; load another model before deleting it").arg(entry.name);
        return result;
    }
    for (const QString& path : own) {
        if (!removePath(path)) {
            result.error = tr("%1: cannot be removed").arg(path);
            return result;
        }
        result.removed << path;
    }
    result.ok = true;
    return result;
}

} // namespace ponder::library
