#include "conversation_title.h"

#include <QList>

namespace ponder::storage {

QString automaticTitle(const QString& firstUserMessage)
{
    const QString line = firstUserMessage.simplified();
    // Cut by characters (UCS-4), never inside a surrogate pair.
    const QList<uint> characters = line.toUcs4();
    if (characters.size() <= automaticTitleLength)
        return line;
    return QString::fromUcs4(reinterpret_cast<const char32_t*>(characters.constData()), automaticTitleLength)
               .trimmed() +
           QChar(0x2026);
}

} // namespace ponder::storage
