#pragma once
// Switches the app's language while it runs: installs the translator of Ponder's own strings (built into
// the binary as :/i18n/ponder_<language>.qm) and Qt's own (qtbase_<language>.qm, when the system has it),
// then asks the QML engine to re-evaluate every qsTr() binding.
#include <QString>
#include <QTranslator>

#include <memory>

class QQmlEngine;

namespace ponder::desktop {

class LanguageSwitcher {
public:
    LanguageSwitcher();
    ~LanguageSwitcher();
    LanguageSwitcher(const LanguageSwitcher&) = delete;
    LanguageSwitcher& operator=(const LanguageSwitcher&) = delete;

    // "en" (the source strings) or a translation's name ("zh_CN"). `engine` may be null (nothing to
    // retranslate yet). Returns an empty string, or why the language cannot be shown (the app then stays
    // in English).
    QString switchTo(const QString& language, QQmlEngine* engine);
    QString current() const { return current_; }

    static QString resourcePath(const QString& language); // ":/i18n/ponder_zh_CN.qm"

private:
    void removeTranslators();

    std::unique_ptr<QTranslator> ponder_, qt_;
    QString current_ = QStringLiteral("en");
};

} // namespace ponder::desktop
