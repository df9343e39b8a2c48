#include "test_support.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTest>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace ponder::test {

std::filesystem::path tokenizerPackage()
{
    std::filesystem::path dir = PONDER_TOKENIZER_PACKAGE;
    if (!std::filesystem::exists(dir / "models" / "tokenizer.json"))
        throw std::runtime_error("the Qwen3 tokenizer package is missing at " + dir.string() +
                                 ": run installer/setup-debian.sh");
    return dir;
}

std::filesystem::path tokenizerJson() { return tokenizerPackage() / "models" / "tokenizer.json"; }
std::filesystem::path tokenizerConfigJson() { return tokenizerPackage() / "models" / "tokenizer_config.json"; }
std::filesystem::path testsSourceDir() { return PONDER_TESTS_SOURCE_DIR; }

ProcessResult runProcess(const QString& program, const QStringList& args, const QByteArray& input, int timeoutMs)
{
    QProcess process;
    auto env = QProcessEnvironment::systemEnvironment();
    // node resolves the tokenizer package and its runtime from the cache's node_modules.
    env.insert("NODE_PATH", QString::fromStdString(tokenizerPackage().parent_path().parent_path().string()));
    process.setProcessEnvironment(env);
    process.start(program, args);
    ProcessResult result;
    if (!process.waitForStarted(30000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

ProcessResult runCli(const QStringList& args, const QByteArray& input)
{
    return runProcess(QStringLiteral(PONDER_CLI_PATH), args, input);
}

ProcessResult runNode(const QStringList& args, const QByteArray& input)
{
    return runProcess(QStringLiteral(PONDER_NODE), args, input);
}

ProcessResult runPython(const QStringList& args, const QByteArray& input)
{
    return runProcess(QStringLiteral(PONDER_PYTHON), args, input);
}

std::string readFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

void writeFile(const std::filesystem::path& path, std::string_view bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

} // namespace ponder::test
