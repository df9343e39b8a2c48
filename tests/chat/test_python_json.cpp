// pythonJsonDumps must spell values exactly as Python's json.dumps(value, ensure_ascii=False) does (that is
// the chat template's `tojson` in transformers). Checked against python itself on hand-picked values, tens of
// thousands of random doubles (all exponent ranges) and the whole conversations.json.
#include "chat/chat_format.h"
#include "test_support.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

using namespace ponder;
using namespace ponder::test;
using Json = nlohmann::ordered_json;

namespace {

// Python reads the values from our JSON text and answers with json.dumps of each one.
constexpr const char* kPythonDumps =
    "import json, sys\n"
    "values = json.load(sys.stdin)\n"
    "json.dump([json.dumps(v, ensure_ascii=False) for v in values], sys.stdout, ensure_ascii=True)\n";

// Compares pythonJsonDumps with python for every value; returns the mismatches.
int countMismatches(const Json& values)
{
    const auto result = runPython({"-c", kPythonDumps}, QByteArray::fromStdString(values.dump()));
    if (result.exitCode != 0)
        qFatal("python failed: %s", result.err.constData());
    const Json expected = Json::parse(result.out.toStdString());
    if (expected.size() != values.size())
        qFatal("python answered %zu values for %zu", expected.size(), values.size());
    int mismatches = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::string ours = pythonJsonDumps(values[i]);
        if (ours != expected[i].get<std::string>() && ++mismatches <= 20)
            qWarning("value %zu: python %s, ours %s", i, expected[i].dump().substr(0, 300).c_str(),
                     Json(ours).dump().substr(0, 300).c_str());
    }
    return mismatches;
}

} // namespace

class TestPythonJson : public QObject {
    Q_OBJECT

private slots:
    void knownSpellings()
    {
        QCOMPARE(pythonJsonDumps(Json(1.0)), std::string("1.0"));
        QCOMPARE(pythonJsonDumps(Json(0.1)), std::string("0.1"));
        QCOMPARE(pythonJsonDumps(Json(1e-05)), std::string("1e-05"));
        QCOMPARE(pythonJsonDumps(Json(0.0001)), std::string("0.0001"));
        QCOMPARE(pythonJsonDumps(Json(1e+20)), std::string("1e+20"));
        QCOMPARE(pythonJsonDumps(Json(1e16)), std::string("1e+16"));
        QCOMPARE(pythonJsonDumps(Json(1e15)), std::string("1000000000000000.0"));
        QCOMPARE(pythonJsonDumps(Json(-0.0)), std::string("-0.0"));
        QCOMPARE(pythonJsonDumps(Json(1.5e-300)), std::string("1.5e-300"));
        QCOMPARE(pythonJsonDumps(Json(std::numeric_limits<double>::infinity())), std::string("Infinity"));
        QCOMPARE(pythonJsonDumps(Json(std::nan(""))), std::string("NaN"));
        QCOMPARE(pythonJsonDumps(Json::parse(R"({"b": [1, true, null], "a": {}, "c": []})")),
                 std::string(R"({"b": [1, true, null], "a": {}, "c": []})"));
        QCOMPARE(pythonJsonDumps(Json("\"\\\n\r\t\b\f\x01\x1f\x7f/é")),
                 std::string("\"\\\"\\\\\\n\\r\\t\\b\\f\\u0001\\u001f\x7f/é\""));
    }

    void matchesPythonOnChosenValues()
    {
        Json values = Json::array();
        std::string allAscii;
        for (int c = 0; c < 128; ++c)
            allAscii += char(c);
        values.push_back(allAscii);
        for (const char* text : {"", "naïve", "北京 🎉👍🏽", "مرحبا שלום", "\u2028\u2029", "\xef\xbb\xbf"})
            values.push_back(text);
        for (const double d : {0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.30000000000000004, 1e-05, 1e-4, 1e-07, 1e16, 1e15,
                               1234567890123456.0, 12345678901234567.0, 1e22, 1e23, 1e+20, 5e-324,
                               2.2250738585072014e-308, 1.7976931348623157e308, 3.141592653589793, 123.456,
                               9007199254740993.0, 0.5, 100.0, 1e100})
            values.push_back(d);
        values.push_back(std::numeric_limits<std::int64_t>::min());
        values.push_back(std::numeric_limits<std::int64_t>::max());
        values.push_back(std::numeric_limits<std::uint64_t>::max());
        values.push_back(0);
        values.push_back(-42);
        values.push_back(true);
        values.push_back(false);
        values.push_back(nullptr);
        values.push_back(Json::array());
        values.push_back(Json::object());
        Json nested = Json::parse(R"({"z": 1, "a": [1.5, {"y": null, "b": "x\ny"}], "": ""})");
        nested["k\"ey\n"] = Json::array({Json::array(), Json::object()}); // keys are escaped like strings
        values.push_back(nested);
        values.push_back(Json::parse(readFile(testsSourceDir() / "chat" / "conversations.json")));
        QCOMPARE(countMismatches(values), 0);
    }

    // Random bit patterns cover every exponent and digit count; random decimals cover the "nice" numbers
    // people write (0.35, 12.5, 1e-3 ...).
    void matchesPythonOnRandomDoubles()
    {
        std::mt19937_64 random(20250807);
        Json values = Json::array();
        while (values.size() < 20000) {
            const double d = std::bit_cast<double>(random());
            if (std::isfinite(d))
                values.push_back(d);
        }
        std::uniform_int_distribution<int> mantissa(0, 999999), exponent(-12, 24);
        for (int i = 0; i < 20000; ++i)
            values.push_back(std::stod(std::to_string(mantissa(random)) + "e" + std::to_string(exponent(random))));
        QCOMPARE(countMismatches(values), 0);
    }
};

QTEST_GUILESS_MAIN(TestPythonJson)
#include "test_python_json.moc"
