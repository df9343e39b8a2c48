// AppSettings over QSettings in a test location: values persist and come back in a new instance, the
// context length is capped by the loaded model, the device list always offers Automatic and CPU (and the
// Vulkan devices, or why there are none), and switching the language installs the built-in translation
// so that qsTr() text in QML and tr() text in C++ change, and back. The built-in translation covers every
// message of its .ts (read here, so a new string that nobody translated fails), with the same placeholders.
// The access token without a secret service (CMakeLists points D-Bus at a socket that does not exist): kept
// for the session, still usable, and nowhere in QSettings.
#include "app_settings.h"
#include "language_switcher.h"
#include "token_store.h"
#include "backend/vulkan/vulkan_devices.h"

#include <QCoreApplication>
#include <QFile>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <exception>
#include <memory>
#include <vector>

using namespace ponder;
using namespace ponder::desktop;

namespace {

QStringList deviceValues(const AppSettings& settings)
{
    QStringList values;
    for (const QVariant& d : settings.devices())
        values << d.toMap().value(QStringLiteral("value")).toString();
    return values;
}

// One <message> of a Qt Linguist .ts file.
struct TsMessage {
    QString context;
    QString source;
    QString comment; // the disambiguation, when there is one
};

// Every message of the .ts at `path`, or a test failure naming what is wrong with the file.
std::vector<TsMessage> readTsMessages(const QString& path)
{
    std::vector<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QTest::qFail(qPrintable(QStringLiteral("cannot open %1: %2").arg(path, file.errorString())), __FILE__, __LINE__);
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == QLatin1String("context"))
                context.clear();
            else if (xml.name() == QLatin1String("name"))
                context = xml.readElementText();
            else if (xml.name() == QLatin1String("message"))
                message = TsMessage{context, {}, {}};
            else if (xml.name() == QLatin1String("source"))
                message.source = xml.readElementText();
            else if (xml.name() == QLatin1String("comment"))
                message.comment = xml.readElementText();
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages.push_back(message);
        }
    }
    if (xml.hasError())
        QTest::qFail(qPrintable(QStringLiteral("%1 is not valid XML: %2 at line %3")
                                    .arg(path, xml.errorString()).arg(xml.lineNumber())),
                     __FILE__, __LINE__);
    return messages;
}

// The %1..%9 placeholders a text uses, sorted, each once.
QStringList placeholders(const QString& text)
{
    QStringList found;
    for (qsizetype i = text.indexOf(QLatin1Char('%')); i >= 0 && i + 1 < text.size(); i = text.indexOf(QLatin1Char('%'), i + 1))
        if (text[i + 1].isDigit() && !found.contains(text.mid(i, 2)))
            found << text.mid(i, 2);
    found.sort();
    return found;
}

} // namespace

class TestAppSettings : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString dataDir() const { return dir_.filePath(QStringLiteral("data")); }

private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("Ponder"));
        QCoreApplication::setApplicationName(QStringLiteral("PonderSettingsTest"));
    }

    void init() { QSettings().clear(); }
    void cleanupTestCase() { QSettings().clear(); }

    void defaultsThenPersistAndReload()
    {
        {
            AppSettings settings(dataDir());
            QCOMPARE(settings.contextLength(), 4096);
            QCOMPARE(settings.device(), QStringLiteral("auto"));
            QCOMPARE(settings.language(), QStringLiteral("en"));
            QCOMPARE(settings.dataDir(), dataDir());
            QVERIFY(AppSettings::storedDataDir().isEmpty());

            QSignalSpy context(&settings, &AppSettings::contextLengthChanged);
            settings.setContextLength(16384);
            settings.setContextLength(5000); // not an offered step: ignored with a warning
            QCOMPARE(context.count(), 1);
            settings.setFontPixelSize(18);
            settings.setFontPixelSize(99); // clamped
            QCOMPARE(settings.fontPixelSize(), AppSettings::maxFontPixelSize());
            settings.setFontPixelSize(18);
            settings.setDevice(QStringLiteral("cpu"));
            settings.setDevice(QStringLiteral("vulkan:no such device")); // not on this machine: ignored
            QCOMPARE(settings.device(), QStringLiteral("cpu"));
            QSignalSpy next(&settings, &AppSettings::nextDataDirChanged);
            settings.chooseDataDir(QUrl::fromLocalFile(dir_.filePath(QStringLiteral("elsewhere"))));
            QCOMPARE(next.count(), 1);
            QCOMPARE(settings.dataDir(), dataDir()); // this session keeps its folder
            QCOMPARE(settings.nextDataDir(), dir_.filePath(QStringLiteral("elsewhere")));
        }
        AppSettings again(dataDir());
        QCOMPARE(again.contextLength(), 16384);
        QCOMPARE(again.fontPixelSize(), 18);
        QCOMPARE(again.device(), QStringLiteral("cpu"));
        QCOMPARE(again.backendChoice().backend, std::string("cpu"));
        QCOMPARE(AppSettings::storedDataDir(), dir_.filePath(QStringLiteral("elsewhere")));
        again.resetDataDir();
        QVERIFY(AppSettings::storedDataDir().isEmpty());
    }

    void accessTokenWithoutASecretServiceIsKeptForTheSession()
    {
        const QByteArray secret = "hf_settings_test_secret";
        {
            TokenStore store(QStringLiteral("PonderSettingsTest"));
            QSignalSpy settled(&store, &TokenStore::settled);
            QVERIFY(settled.wait(30000)); // the first read fails: no secret service
            QCOMPARE(store.storage(), QStringLiteral("session"));
            QVERIFY(store.token().isEmpty());
            QSignalSpy changed(&store, &TokenStore::tokenChanged);
            store.setToken(QString::fromLatin1(" " + secret + " "));
            QCOMPARE(store.token(), QString::fromLatin1(secret)); // usable at once, trimmed
            QCOMPARE(changed.count(), 1);
            QVERIFY(settled.wait(30000)); // the write fails too
            QCOMPARE(store.storage(), QStringLiteral("session"));
            QCOMPARE(store.token(), QString::fromLatin1(secret));
        }

        AppSettings settings(dataDir());
        QCOMPARE(settings.tokenStorage(), QStringLiteral("session"));
        QSignalSpy token(&settings, &AppSettings::accessTokenChanged);
        settings.setAccessToken(QString::fromLatin1(secret));
        QCOMPARE(token.count(), 1);
        QCOMPARE(settings.accessToken(), QString::fromLatin1(secret));
        QTest::qWait(200); // the secret store's answer, if any came, changes nothing
        QCOMPARE(settings.tokenStorage(), QStringLiteral("session"));
        QCOMPARE(settings.accessToken(), QString::fromLatin1(secret));
        settings.setDownloadSource(QStringLiteral("mirror")); // something is written to QSettings
        QSettings stored;
        stored.sync();
        for (const QString& key : stored.allKeys())
            QVERIFY2(!stored.value(key).toString().contains(QString::fromLatin1(secret)), qPrintable(key));
        QFile file(stored.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(secret));
    }

    void contextLengthIsCappedByTheModel()
    {
        AppSettings settings(dataDir());
        settings.setContextLength(32768);
        QSignalSpy changed(&settings, &AppSettings::contextLengthChanged);
        settings.setModelLoaded(true, 8192);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(settings.modelContextLength(), 8192);
        QCOMPARE(settings.effectiveContextLength(), 8192);
        QCOMPARE(settings.contextLength(), 32768); // the choice is kept for a larger model
        settings.setContextLength(2048);
        QCOMPARE(settings.effectiveContextLength(), 2048);
        settings.setContextLength(131072);
        settings.setModelLoaded(true, 40960); // Qwen3's 40K
        QCOMPARE(settings.effectiveContextLength(), 40960);
        settings.setModelLoaded(false, 0);
        QCOMPARE(settings.effectiveContextLength(), 131072);
    }

    void devicesOfferAutomaticCpuAndVulkan()
    {
        AppSettings settings(dataDir());
        const QStringList values = deviceValues(settings);
        QVERIFY(values.size() >= 2);
        QCOMPARE(values.at(0), QStringLiteral("auto"));
        QCOMPARE(values.at(1), QStringLiteral("cpu"));
        QCOMPARE(settings.backendChoice().backend, std::string("auto"));
        std::vector<VulkanDeviceInfo> vulkan;
        try {
            vulkan = listVulkanDevices();
            QVERIFY(settings.devicesNote().isEmpty());
        } catch (const std::exception&) {
            QVERIFY2(settings.devicesNote().contains(QStringLiteral("Vulkan")), qPrintable(settings.devicesNote()));
        }
        QCOMPARE(values.size(), qsizetype(vulkan.size() + 2));
        for (const VulkanDeviceInfo& d : vulkan)
            QVERIFY(values.contains(QStringLiteral("vulkan:") + QString::fromStdString(d.name)));
        if (!vulkan.empty()) {
            settings.setDevice(QStringLiteral("vulkan:") + QString::fromStdString(vulkan.front().name));
            QCOMPARE(settings.backendChoice().backend, std::string("vulkan"));
            QCOMPARE(settings.backendChoice().device, vulkan.front().name);
        }

        // A change while a model is loaded suggests reloading it, until a model loads again.
        settings.setModelLoaded(true, 4096);
        QVERIFY(!settings.reloadSuggested());
        settings.setDevice(QStringLiteral("cpu"));
        QVERIFY(settings.reloadSuggested());
        settings.setModelLoaded(true, 4096);
        QVERIFY(!settings.reloadSuggested());
    }

    void languageSwitchesLive()
    {
        AppSettings settings(dataDir());
        QQmlEngine engine;
        settings.setQmlEngine(&engine);
        // A QML file named like the sidebar, so its qsTr() looks in the sidebar's translations.
        QQmlComponent component(&engine);
        component.setData("import QtQuick\nText { text: qsTr(\"New conversation\") }",
                          QUrl::fromLocalFile(dir_.filePath(QStringLiteral("Sidebar.qml"))));
        std::unique_ptr<QObject> text(component.create());
        QVERIFY2(text, qPrintable(component.errorString()));
        QCOMPARE(text->property("text").toString(), QStringLiteral("New conversation"));

        QSignalSpy changed(&settings, &AppSettings::languageChanged);
        settings.setLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(changed.count(), 1);
        QVERIFY2(settings.languageError().isEmpty(), qPrintable(settings.languageError()));
        QCOMPARE(settings.language(), QStringLiteral("zh_CN"));
        QCOMPARE(text->property("text").toString(), QStringLiteral("新建对话"));
        QCOMPARE(QCoreApplication::translate("ModelPicker", "No model loaded"), QStringLiteral("未加载模型"));
        const auto firstDeviceLabel = [&] { return settings.devices().first().toMap().value(QStringLiteral("label")).toString(); };
        QCOMPARE(firstDeviceLabel(), QStringLiteral("自动（有 GPU 时使用 GPU）")); // the device list follows the switch
        {
            AppSettings restarted(dataDir()); // the language is kept for the next start
            QCOMPARE(restarted.language(), QStringLiteral("zh_CN"));
            QCOMPARE(restarted.devices().first().toMap().value(QStringLiteral("label")).toString(),
                     QStringLiteral("自动（有 GPU 时使用 GPU）")); // labelled in the language it starts in
        }

        settings.setLanguage(QStringLiteral("en"));
        QCOMPARE(text->property("text").toString(), QStringLiteral("New conversation"));
        QCOMPARE(QCoreApplication::translate("ModelPicker", "No model loaded"), QStringLiteral("No model loaded"));
        QCOMPARE(firstDeviceLabel(), QStringLiteral("Automatic (the GPU when there is one)"));

        // A language with no translation built in: the reason, and English stays.
        settings.setLanguage(QStringLiteral("fr"));
        QVERIFY2(settings.languageError().contains(QStringLiteral(":/i18n/ponder_fr.qm")), qPrintable(settings.languageError()));
        QCOMPARE(settings.language(), QStringLiteral("en"));
        QCOMPARE(text->property("text").toString(), QStringLiteral("New conversation"));
    }

    void chineseTranslationCoversEveryMessage()
    {
        const std::vector<TsMessage> messages = readTsMessages(QStringLiteral(PONDER_ZH_CN_TS));
        QVERIFY2(messages.size() > 100, qPrintable(QStringLiteral("only %1 messages read").arg(messages.size())));
        QTranslator translator;
        QVERIFY(translator.load(LanguageSwitcher::resourcePath(QStringLiteral("zh_CN"))));
        QStringList untranslated;
        QStringList placeholderMismatches;
        for (const TsMessage& m : messages) {
            const QByteArray context = m.context.toUtf8();
            const QByteArray source = m.source.toUtf8();
            const QByteArray comment = m.comment.toUtf8();
            const QString translation =
                translator.translate(context.constData(), source.constData(), m.comment.isEmpty() ? nullptr : comment.constData());
            if (translation.isEmpty())
                untranslated << QStringLiteral("%1: \"%2\"").arg(m.context, m.source);
            else if (placeholders(translation) != placeholders(m.source))
                placeholderMismatches << QStringLiteral("%1: \"%2\" -> \"%3\"").arg(m.context, m.source, translation);
        }
        QVERIFY2(untranslated.isEmpty(),
                 qPrintable(QStringLiteral("%1 of %2 messages have no Chinese translation (translate them in %3):\n%4")
                                .arg(untranslated.size()).arg(messages.size())
                                .arg(QStringLiteral(PONDER_ZH_CN_TS), untranslated.join(QLatin1Char('\n')))));
        QVERIFY2(placeholderMismatches.isEmpty(),
                 qPrintable(QStringLiteral("translations whose placeholders differ from the source:\n%1")
                                .arg(placeholderMismatches.join(QLatin1Char('\n')))));
    }
};

QTEST_MAIN(TestAppSettings)
#include "test_app_settings.moc"
