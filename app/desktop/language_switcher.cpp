#include "language_switcher.h"

#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QLocale>
#include <QQmlEngine>

namespace ponder::desktop {

LanguageSwitcher::LanguageSwitcher() = default;

LanguageSwitcher::~LanguageSwitcher()
{
    removeTranslators();
}

QString LanguageSwitcher::resourcePath(const QString& language)
{
    return QStringLiteral(":/i18n/ponder_%1.qm").arg(language);
}

void LanguageSwitcher::removeTranslators()
{
    for (auto* translator : {&ponder_, &qt_})
        if (*translator) {
            QCoreApplication::removeTranslator(translator->get());
            translator->reset();
        }
}

QString LanguageSwitcher::switchTo(const QString& language, QQmlEngine* engine)
{
    QString problem;
    auto ponder = std::make_unique<QTranslator>();
    std::unique_ptr<QTranslator> qt;
    if (language != QLatin1String("en")) {
        const QString path = resourcePath(language);
        if (!QFile::exists(path))
            problem = QCoreApplication::translate("LanguageSwitcher",
                                                  "The %1 translation is not built into this copy of Ponder (%2 is missing).")
                          .arg(language, path);
        else if (!ponder->load(path))
            problem = QCoreApplication::translate("LanguageSwitcher", "The translation %1 could not be read.").arg(path);
        // Qt's own strings (the buttons of standard dialogs), when the system has them.
        qt = std::make_unique<QTranslator>();
        if (!qt->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            qt.reset();
    }
    removeTranslators();
    if (problem.isEmpty() && language != QLatin1String("en")) {
        ponder_ = std::move(ponder);
        QCoreApplication::installTranslator(ponder_.get());
        if (qt) {
            qt_ = std::move(qt);
            QCoreApplication::installTranslator(qt_.get());
        }
    }
    current_ = problem.isEmpty() ? language : QStringLiteral("en");
    // Dates and numbers the C++ side formats (QLocale()) and QML's Qt.locale() follow the language; English
    // keeps the system's own formats.
    QLocale::setDefault(current_ == QLatin1String("en") ? QLocale::system() : QLocale(current_));
    if (engine)
        engine->retranslate();
    return problem;
}

} // namespace ponder::desktop
