// Malformed and hostile GGUF files, built byte by byte: each must be rejected with a ponder::Error naming the
// source and the exact problem, never a crash, a huge allocation or a view outside the file.
#include "gguf_test_util.h"

#include <QTest>

using namespace ponder;
using namespace ponder::test;

namespace {

constexpr std::uint32_t kF32 = 0, kF16 = 1, kQ4K = 12, kIQ2XXS = 16;

// A small valid file with a string, a string array and a u32, and two tensors whose data ends exactly at
// the end of the file (so that cutting even its last byte must be detected). Section ends are recorded.
struct SmallFile {
    RawGguf file;
    std::size_t headerEnd = 0, metadataEnd = 0, infosEnd = 0, dataStart = 0;
};

SmallFile smallFile()
{
    SmallFile s;
    s.file.header(3, 2, 3);
    s.headerEnd = s.file.size();
    s.file.key("general.architecture", GgufType::String).str("qwen3");
    s.file.key("tokenizer.ggml.tokens", GgufType::Array).u32(8).u64(2).str("a").str("\xC3\xA9");
    s.file.key("qwen3.block_count", GgufType::U32).u32(1);
    s.metadataEnd = s.file.size();
    s.file.tensorInfo("a", {4, 2}, kF32, 0);  // 32 bytes
    s.file.tensorInfo("b", {16}, kF16, 32);   // 32 bytes
    s.infosEnd = s.file.size();
    s.file.padTo(32);
    s.dataStart = s.file.size();
    for (int k = 0; k < 64; ++k)
        s.file.u8(static_cast<std::uint8_t>(k));
    return s;
}

// One tensor `t` with the given fields and `dataBytes` of data after the padding.
std::vector<std::uint8_t> oneTensor(const std::vector<std::uint64_t>& dims, std::uint32_t type,
                                    std::uint64_t offset = 0, std::size_t dataBytes = 1024)
{
    RawGguf f;
    f.header(3, 1, 0).tensorInfo("t", dims, type, offset).padTo(32).zeros(dataBytes);
    return f.bytes;
}

// A file with only metadata: `count` entries, which the caller appends.
RawGguf metadata(std::uint64_t count)
{
    RawGguf f;
    f.header(3, 0, count);
    return f;
}

} // namespace

class TestGgufHostile : public QObject {
    Q_OBJECT

private slots:
    void smallFileIsValid()
    {
        const auto s = smallFile();
        const auto file = GgufFile::parse(s.file.bytes, "small.gguf");
        QCOMPARE(file->metadata().size(), std::size_t(3));
        QCOMPARE(file->tensors().size(), std::size_t(2));
        QCOMPARE(file->tensor("b")->data.data(), s.file.bytes.data() + s.dataStart + 32);
        QCOMPARE(file->tensor("b")->data.size(), std::size_t(32));
    }

    void everyTruncationIsAnErrorNamingTheSection()
    {
        const auto s = smallFile();
        const std::span<const std::uint8_t> all(s.file.bytes);
        for (std::size_t length = 0; length < all.size(); ++length) {
            const auto message = ggufParseError(all.first(length), "cut.gguf");
            QVERIFY2(message, ("truncation to " + std::to_string(length) + " bytes parsed").c_str());
            const char* section = length < s.headerEnd     ? "header"
                                  : length < s.metadataEnd ? "metadata"
                                  : length < s.infosEnd    ? "tensor info"
                                                           : "data";
            const bool named = message->find(section) != std::string::npos;
            const bool saysCut = message->find("truncated") != std::string::npos;
            QVERIFY2(named && saysCut && message->rfind("cut.gguf: ", 0) == 0,
                     (std::to_string(length) + " bytes: expected '" + section + "' and 'truncated' in: " +
                      *message).c_str());
        }
    }

    void rejectsWrongMagic()
    {
        RawGguf f;
        f.raw("GGUX").u32(3).u64(0).u64(0);
        GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "x.bin"),
                          "x.bin: not a GGUF file (it starts with bytes 47 47 55 58, not \"GGUF\")");
    }

    void rejectsOtherVersions()
    {
        for (std::uint32_t version : {1u, 2u, 4u, 0u}) {
            RawGguf f;
            f.header(version, 0, 0);
            GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "v.gguf"),
                              "v.gguf: unsupported GGUF version " + std::to_string(version) +
                                  " (Ponder reads version 3)");
        }
    }

    void recognisesBigEndianFiles()
    {
        RawGguf f;
        f.raw("GGUF").raw(std::string_view("\0\0\0\3", 4)).u64(0).u64(0);
        GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "be.gguf"), "be.gguf: big-endian GGUF file");
        GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "be.gguf"), "version 3 byte-swapped");
    }

    void rejectsAbsurdCountsBeforeAllocating()
    {
        for (std::uint64_t count : {std::uint64_t(1) << 63, std::uint64_t(1) << 40, ~std::uint64_t(0)}) {
            RawGguf kv;
            kv.header(3, 0, count).zeros(100);
            GGUF_EXPECT_ERROR(GgufFile::parse(kv.bytes, "n.gguf"),
                              "header: metadata count " + std::to_string(count) + " cannot be right");
            RawGguf tensors;
            tensors.header(3, count, 0).zeros(100);
            GGUF_EXPECT_ERROR(GgufFile::parse(tensors.bytes, "n.gguf"),
                              "tensor infos: " + std::to_string(count) + " tensors cannot be right");
        }
        // The bound is the minimal encoding: 7 entries of 14 bytes fit in 98 bytes, 8 do not.
        RawGguf eight;
        eight.header(3, 0, 8).zeros(98);
        GGUF_EXPECT_ERROR(GgufFile::parse(eight.bytes, "n.gguf"), "metadata count 8 cannot be right");
    }

    void rejectsHugeStringLengths()
    {
        RawGguf key = metadata(1);
        key.u64(std::uint64_t(1) << 62).raw("general.name");
        GGUF_EXPECT_ERROR(GgufFile::parse(key.bytes, "s.gguf"),
                          "truncated: metadata entry 1 of 1: key needs 4611686018427387904 bytes");
        RawGguf value = metadata(1);
        value.key("general.name", GgufType::String).u64(~std::uint64_t(0)).raw("abc");
        GGUF_EXPECT_ERROR(GgufFile::parse(value.bytes, "s.gguf"),
                          "metadata 'general.name': value needs 18446744073709551615 bytes");
        RawGguf item = metadata(1);
        item.key("tokenizer.ggml.tokens", GgufType::Array).u32(8).u64(1).u64(std::uint64_t(1) << 40);
        GGUF_EXPECT_ERROR(GgufFile::parse(item.bytes, "s.gguf"), "needs 1099511627776 bytes");
    }

    void rejectsHugeArrayCounts()
    {
        RawGguf f = metadata(1);
        f.key("tokenizer.ggml.token_type", GgufType::Array).u32(4).u64(std::uint64_t(1) << 60).zeros(64);
        GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "a.gguf"),
                          "metadata 'tokenizer.ggml.token_type': array of 1152921504606846976 u32 items cannot fit "
                          "in the 64 bytes left");
        RawGguf strings = metadata(1); // strings take at least their 8-byte length each
        strings.key("k", GgufType::Array).u32(8).u64(9).zeros(64);
        GGUF_EXPECT_ERROR(GgufFile::parse(strings.bytes, "a.gguf"), "array of 9 string items cannot fit");
    }

    void limitsArrayNesting()
    {
        RawGguf three = metadata(1); // arrays of arrays of arrays are allowed
        three.key("deep", GgufType::Array).u32(9).u64(1).u32(9).u64(1).u32(0).u64(1).u8(7);
        const auto ok = GgufFile::parse(three.bytes, "d.gguf");
        QCOMPARE(ok->find("deep")->items[0].items[0].items[0].u, std::uint64_t(7));

        RawGguf four = metadata(1);
        four.key("deep", GgufType::Array).u32(9).u64(1).u32(9).u64(1).u32(9).u64(1).u32(0).u64(1).u8(7);
        GGUF_EXPECT_ERROR(GgufFile::parse(four.bytes, "d.gguf"),
                          "metadata 'deep' item 0.0.0: arrays nested more than 3 deep");
    }

    void rejectsUnknownValueTypesAndBadBools()
    {
        RawGguf type = metadata(1);
        type.str("k").u32(13).u32(0);
        GGUF_EXPECT_ERROR(GgufFile::parse(type.bytes, "t.gguf"), "metadata 'k' has unknown value type 13");
        RawGguf element = metadata(1);
        element.key("k", GgufType::Array).u32(99).u64(0);
        GGUF_EXPECT_ERROR(GgufFile::parse(element.bytes, "t.gguf"), "metadata 'k': array element type 99 is unknown");
        RawGguf boolean = metadata(1);
        boolean.key("tokenizer.ggml.add_bos_token", GgufType::Bool).u8(2);
        GGUF_EXPECT_ERROR(GgufFile::parse(boolean.bytes, "t.gguf"),
                          "metadata 'tokenizer.ggml.add_bos_token': bool stored as 2 (must be 0 or 1)");
    }

    void rejectsBadKeys()
    {
        RawGguf duplicate = metadata(3);
        duplicate.key("general.name", GgufType::String).str("a");
        duplicate.key("general.type", GgufType::String).str("b");
        duplicate.key("general.name", GgufType::U32).u32(1);
        GGUF_EXPECT_ERROR(GgufFile::parse(duplicate.bytes, "k.gguf"),
                          "k.gguf: duplicate metadata key 'general.name' (entries 1 and 3)");
        RawGguf empty = metadata(1);
        empty.key("", GgufType::U32).u32(0); // 16 bytes: passes the count check
        GGUF_EXPECT_ERROR(GgufFile::parse(empty.bytes, "k.gguf"), "metadata entry 1 of 1 has an empty key");
        RawGguf invalid = metadata(1);
        invalid.key("general.\xFF", GgufType::U8).u8(0);
        GGUF_EXPECT_ERROR(GgufFile::parse(invalid.bytes, "k.gguf"),
                          "metadata entry 1 of 1: key 'general.\xEF\xBF\xBD' is not valid UTF-8");
    }

    void rejectsInvalidUtf8Strings()
    {
        RawGguf value = metadata(1);
        value.key("general.name", GgufType::String).str("Qwen\xC3");
        GGUF_EXPECT_ERROR(GgufFile::parse(value.bytes, "u.gguf"),
                          "u.gguf: metadata 'general.name': string is not valid UTF-8");
        RawGguf item = metadata(1);
        item.key("tokenizer.ggml.tokens", GgufType::Array).u32(8).u64(3).str("a").str("b").str("\xED\xA0\x80");
        GGUF_EXPECT_ERROR(GgufFile::parse(item.bytes, "u.gguf"),
                          "metadata 'tokenizer.ggml.tokens' item 2: string is not valid UTF-8");
    }

    void rejectsBadAlignment()
    {
        for (std::uint32_t alignment : {0u, 3u, 48u}) {
            RawGguf f = metadata(1);
            f.key("general.alignment", GgufType::U32).u32(alignment);
            GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "al.gguf"),
                              "general.alignment is " + std::to_string(alignment) +
                                  " (must be a non-zero power of two)");
        }
        RawGguf wrongType = metadata(1);
        wrongType.key("general.alignment", GgufType::U64).u64(32);
        GGUF_EXPECT_ERROR(GgufFile::parse(wrongType.bytes, "al.gguf"), "general.alignment has type u64 (must be u32)");
    }

    void rejectsBadDimensionCounts()
    {
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({}, kF32), "d.gguf"),
                          "tensor 't' has 0 dimensions (must be 1 to 4)");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({1, 1, 1, 1, 1}, kF32), "d.gguf"),
                          "tensor 't' has 5 dimensions (must be 1 to 4)");
    }

    void rejectsZeroAndOverflowingDims()
    {
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({4, 0, 2}, kF32), "d.gguf"),
                          "tensor 't' dimension 1 is 0 (dimensions [4, 0, 2])");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({std::uint64_t(1) << 32, std::uint64_t(1) << 32}, kF32), "d.gguf"),
                          "tensor 't' dimensions [4294967296, 4294967296] hold more elements than a 64-bit count");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({std::uint64_t(1) << 63}, kF32), "d.gguf"), "(overflow)");
        // Elements fit in int64 but bytes do not: 2^62 F32 values are 2^64 bytes.
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({std::uint64_t(1) << 31, std::uint64_t(1) << 31}, kF32), "d.gguf"),
                          "give a byte size that overflows 64 bits");
    }

    void rejectsUnsupportedTypesByName()
    {
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({256}, kIQ2XXS), "ty.gguf"),
                          "ty.gguf: tensor 't' has type IQ2_XXS, which Ponder does not support");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({256}, 10), "ty.gguf"),
                          "tensor 't' has type Q2_K, which Ponder does not support");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({256}, 77), "ty.gguf"),
                          "tensor 't' has unknown ggml type 77, which Ponder does not support");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({256}, 4), "ty.gguf"), "unknown ggml type 4"); // removed Q4_2
    }

    void rejectsRowsThatAreNotWholeBlocks()
    {
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({100, 2}, kQ4K), "r.gguf"),
                          "tensor 't' row length 100 is not a multiple of the Q4_K block size 256");
    }

    void rejectsMisalignedOffsets()
    {
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({4}, kF32, 16), "o.gguf"),
                          "tensor 't' data offset 16 is not a multiple of the alignment 32");
    }

    void rejectsDataOutsideTheFile()
    {
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({256}, kF32, 0, 1023), "o.gguf"),
                          "tensor 't' data (1024 bytes at data offset 0, data section at file offset 64) runs "
                          "past the end of the file (1087 bytes");
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({4}, kF32, std::uint64_t(1) << 62), "o.gguf"),
                          "data offset 4611686018427387904");
        // An offset near 2^64 must not wrap around into the file.
        GGUF_EXPECT_ERROR(GgufFile::parse(oneTensor({8}, kF32, ~std::uint64_t(31)), "o.gguf"),
                          "runs past the end of the file");
    }

    void rejectsOverlappingTensors()
    {
        RawGguf f;
        f.header(3, 2, 0).tensorInfo("late", {8}, kF32, 32).tensorInfo("early", {16}, kF32, 0).padTo(32).zeros(64);
        GGUF_EXPECT_ERROR(GgufFile::parse(f.bytes, "ov.gguf"),
                          "ov.gguf: tensors 'early' (data offset 0, 64 bytes) and 'late' (data offset 32) overlap");
        RawGguf same;
        same.header(3, 2, 0).tensorInfo("a", {8}, kF32, 0).tensorInfo("b", {8}, kF32, 0).padTo(32).zeros(32);
        GGUF_EXPECT_ERROR(GgufFile::parse(same.bytes, "ov.gguf"), "overlap");
    }

    void rejectsBadTensorNames()
    {
        RawGguf duplicate;
        duplicate.header(3, 2, 0).tensorInfo("w", {8}, kF32, 0).tensorInfo("w", {8}, kF32, 32).padTo(32).zeros(64);
        GGUF_EXPECT_ERROR(GgufFile::parse(duplicate.bytes, "n.gguf"), "duplicate tensor name 'w' (tensor infos 1 and 2)");
        RawGguf tooLong;
        tooLong.header(3, 1, 0).tensorInfo(std::string(65, 'x'), {8}, kF32, 0).padTo(32).zeros(32);
        GGUF_EXPECT_ERROR(GgufFile::parse(tooLong.bytes, "n.gguf"), "tensor info 1 of 1: name is 65 bytes long (at most 64)");
        RawGguf invalid;
        invalid.header(3, 1, 0).tensorInfo("blk.\xC0\xAF", {8}, kF32, 0).padTo(32).zeros(32);
        GGUF_EXPECT_ERROR(GgufFile::parse(invalid.bytes, "n.gguf"), "is not valid UTF-8");
        RawGguf empty;
        empty.header(3, 1, 0).tensorInfo("", {8}, kF32, 0).padTo(32).zeros(32);
        GGUF_EXPECT_ERROR(GgufFile::parse(empty.bytes, "n.gguf"), "tensor info 1 of 1 has an empty name");
    }

    void openNamesThePath()
    {
        GGUF_EXPECT_ERROR(GgufFile::open("/nonexistent/ponder/model.gguf"),
                          "/nonexistent/ponder/model.gguf: cannot open");
    }
};

QTEST_GUILESS_MAIN(TestGgufHostile)
#include "test_gguf_hostile.moc"
