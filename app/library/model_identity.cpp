#include "library/model_identity.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace ponder::library {
namespace {

constexpr qint64 kEdgeBytes = 1 << 20; // the first and last MiB

// Adds the file's size, head and tail to `hash`; false when it cannot be read.
bool addFile(QCryptographicHash& hash, const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const qint64 size = file.size();
    hash.addData(QByteArray::number(size));
    hash.addData(file.read(std::min(size, kEdgeBytes)));
    if (size > kEdgeBytes) {
        // The tail, or what of it the head did not already cover.
        const qint64 tailStart = std::max(kEdgeBytes, size - kEdgeBytes);
        if (!file.seek(tailStart))
            return false;
        hash.addData(file.read(size - tailStart));
    }
    return file.error() == QFileDevice::NoError;
}

} // namespace

QString modelId(const QString& canonicalPath)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(canonicalPath.toUtf8(), QCryptographicHash::Sha256).toHex().left(12));
}

QString contentFingerprint(const QString& path)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QFileInfo info(path);
    if (info.isDir()) {
        const QStringList files = QDir(path).entryList({QStringLiteral("*.safetensors")}, QDir::Files, QDir::Name);
        if (files.isEmpty())
            return {};
        for (const QString& name : files) {
            hash.addData(name.toUtf8());
            if (!addFile(hash, QDir(path).filePath(name)))
                return {};
        }
    } else if (!addFile(hash, path)) {
        return {};
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace ponder::library
