// SafetensorsFile: validates a safetensors file completely before exposing any tensor. The file comes from
// the internet, so every number in the header is checked against the real file size, with overflow checks,
// and tensors may not overlap: after open() succeeds, every TensorView.data lies inside the mapped file.
#include "safetensors/safetensors.h"

#include "core/error.h"
#include "core/utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <set>

namespace ponder {
namespace {

using Json = nlohmann::json;

// A real header is a few hundred kilobytes even for the largest sharded models; anything this big is an
// attack or garbage, and parsing it would only waste memory.
constexpr std::uint64_t kMaxHeaderBytes = 100ull * 1000 * 1000;
constexpr std::uint64_t kLengthFieldBytes = 8;

std::string typeWord(const Json& value)
{
    if (value.is_number_float())
        return "a fractional number";
    if (value.is_number())
        return "an integer";
    return std::string("a") + (value.is_object() || value.is_array() ? "n " : " ") + value.type_name();
}

// The dtypes Ponder can compute with; safetensors spells them as below.
std::optional<TensorType> floatDtype(std::string_view dtype)
{
    if (dtype == "F32")
        return TensorType::F32;
    if (dtype == "F16")
        return TensorType::F16;
    if (dtype == "BF16")
        return TensorType::BF16;
    return std::nullopt;
}

// A tensor entry after validation, before it becomes a TensorView.
struct Entry {
    std::string name;
    TensorType type;
    std::vector<std::int64_t> shape; // as written: PyTorch order
    std::uint64_t begin;
    std::uint64_t end;
};

class HeaderChecker {
public:
    HeaderChecker(const std::string& source, std::uint64_t dataBytes) : source_(source), dataBytes_(dataBytes) {}

    [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }

    Entry tensor(const std::string& name, const Json& info) const
    {
        const std::string what = "tensor " + name;
        if (!info.is_object())
            fail(what + " is " + typeWord(info) + ", not an object with dtype, shape and data_offsets");
        Entry entry{name, TensorType::F32, {}, 0, 0};
        entry.type = dtype(what, member(what, info, "dtype"));
        entry.shape = shape(what, member(what, info, "shape"));
        offsets(what, member(what, info, "data_offsets"), entry);

        const std::uint64_t elementBytes = tensorTypeInfo(entry.type).blockBytes; // float types: 1-element blocks
        // TensorView multiplies its dims as int64 in any order, so the product of the non-zero dims (the
        // largest partial product possible) must fit in int64, even when a zero dim makes the tensor empty.
        std::uint64_t nonZeroProduct = 1;
        bool empty = false;
        for (auto d : entry.shape) {
            if (d == 0)
                empty = true;
            else if (!multiply(nonZeroProduct, static_cast<std::uint64_t>(d)) ||
                     nonZeroProduct > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail(what + " has shape " + shapeText(entry.shape) + " whose element count overflows");
        }
        std::uint64_t bytes = empty ? 0 : nonZeroProduct;
        if (!multiply(bytes, elementBytes))
            fail(what + " has shape " + shapeText(entry.shape) + " whose byte size overflows");
        if (entry.end - entry.begin != bytes)
            fail(what + " has data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                 "] spanning " + std::to_string(entry.end - entry.begin) + " bytes, but its shape " +
                 shapeText(entry.shape) + " of " + tensorTypeName(entry.type) + " needs " + std::to_string(bytes) +
                 " bytes");
        return entry;
    }

    static std::string shapeText(const std::vector<std::int64_t>& shape)
    {
        std::string text = "[";
        for (std::size_t i = 0; i < shape.size(); ++i)
            text += (i ? ", " : "") + std::to_string(shape[i]);
        return text + "]";
    }

private:
    const Json& member(const std::string& what, const Json& info, const char* key) const
    {
        auto it = info.find(key);
        if (it == info.end())
            fail(what + " has no \"" + key + "\"");
        return *it;
    }

    TensorType dtype(const std::string& what, const Json& value) const
    {
        if (!value.is_string())
            fail(what + " has a dtype that is " + typeWord(value) + ", not a string");
        const auto& text = value.get_ref<const std::string&>();
        auto type = floatDtype(text);
        if (!type)
            fail(what + " has dtype " + text + ", which Ponder does not support (only F32, F16 and BF16)");
        return *type;
    }

    std::vector<std::int64_t> shape(const std::string& what, const Json& value) const
    {
        if (!value.is_array())
            fail(what + " has a shape that is " + typeWord(value) + ", not an array");
        std::vector<std::int64_t> dims;
        dims.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i) {
            const Json& d = value[i];
            const bool nonNegative = d.is_number_unsigned() || (d.is_number_integer() && d.get<std::int64_t>() >= 0);
            if (!nonNegative)
                fail(what + " has shape entry " + std::to_string(i) + " = " + d.dump() +
                     ", which is not a non-negative integer");
            const auto n = d.get<std::uint64_t>();
            if (n > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail(what + " has shape entry " + std::to_string(i) + " = " + d.dump() + ", which is too large");
            dims.push_back(static_cast<std::int64_t>(n));
        }
        return dims;
    }

    void offsets(const std::string& what, const Json& value, Entry& entry) const
    {
        if (!value.is_array() || value.size() != 2)
            fail(what + " has data_offsets " + shortDump(value) + ", not an array of two offsets [begin, end]");
        for (const Json& v : value)
            if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
                fail(what + " has data_offsets " + shortDump(value) + " containing a value that is not a " +
                     "non-negative integer");
        entry.begin = value[0].get<std::uint64_t>();
        entry.end = value[1].get<std::uint64_t>();
        if (entry.begin > entry.end)
            fail(what + " has reversed data_offsets [" + std::to_string(entry.begin) + ", " +
                 std::to_string(entry.end) + "] (begin after end)");
        if (entry.end > dataBytes_)
            fail(what + " has data_offsets [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end) +
                 "] that run past the end of the data section (" + std::to_string(dataBytes_) + " bytes)");
    }

    static std::string shortDump(const Json& value)
    {
        std::string text = value.dump();
        return text.size() > 80 ? text.substr(0, 77) + "..." : text;
    }

    static bool multiply(std::uint64_t& acc, std::uint64_t factor)
    {
        if (factor != 0 && acc > std::numeric_limits<std::uint64_t>::max() / factor)
            return false;
        acc *= factor;
        return true;
    }

    const std::string& source_;
    std::uint64_t dataBytes_;
};

// Parses the header text. JSON objects may legally repeat a key, and nlohmann would silently keep the last
// one; a repeated tensor name would then hide a second description of the same bytes, so reject it.
Json parseHeader(std::string_view text, const std::string& source)
{
    std::set<std::string, std::less<>> topLevelKeys;
    std::string duplicate;
    auto watch = [&](int depth, Json::parse_event_t event, Json& parsed) {
        if (event == Json::parse_event_t::key && depth == 1 && duplicate.empty() &&
            !topLevelKeys.insert(parsed.get<std::string>()).second)
            duplicate = parsed.get<std::string>();
        return true;
    };
    Json header;
    try {
        header = Json::parse(text, watch);
    } catch (const Json::exception& e) {
        throw Error(source + ": header is not valid JSON: " + e.what());
    }
    if (!duplicate.empty())
        throw Error(source + ": header names \"" + duplicate + "\" more than once");
    return header;
}

} // namespace

std::unique_ptr<SafetensorsFile> SafetensorsFile::open(const std::filesystem::path& path)
{
    std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->file_.emplace(path);
    file->bytes_ = file->file_->bytes();
    file->source_ = path.string();
    file->parseAll();
    return file;
}

std::unique_ptr<SafetensorsFile> SafetensorsFile::parse(std::span<const std::uint8_t> bytes, std::string sourceName)
{
    std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
    file->bytes_ = bytes;
    file->source_ = std::move(sourceName);
    file->parseAll();
    return file;
}

const TensorView* SafetensorsFile::tensor(std::string_view name) const
{
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

void SafetensorsFile::parseAll()
{
    const auto fail = [this](const std::string& problem) { throw Error(source_ + ": " + problem); };
    const std::uint64_t size = bytes_.size();
    if (size < kLengthFieldBytes)
        fail("file is " + std::to_string(size) + " bytes, too short for safetensors (the header length alone "
             "takes 8)");
    std::uint64_t headerBytes = 0;
    for (int i = 7; i >= 0; --i) // little-endian u64, assembled bytewise so the host order does not matter
        headerBytes = (headerBytes << 8) | bytes_[static_cast<std::size_t>(i)];
    if (headerBytes > kMaxHeaderBytes)
        fail("header length " + std::to_string(headerBytes) + " is absurd (more than " +
             std::to_string(kMaxHeaderBytes) + " bytes)");
    if (headerBytes > size - kLengthFieldBytes)
        fail("header length " + std::to_string(headerBytes) + " runs past the end of the file (only " +
             std::to_string(size - kLengthFieldBytes) + " bytes follow the length field)");

    const std::string_view text(reinterpret_cast<const char*>(bytes_.data()) + kLengthFieldBytes,
                                static_cast<std::size_t>(headerBytes));
    if (!isValidUtf8(text))
        fail("header is not valid UTF-8");
    const Json header = parseHeader(text, source_);
    if (!header.is_object())
        fail("header is " + typeWord(header) + ", not a JSON object");

    const std::uint64_t dataStart = kLengthFieldBytes + headerBytes;
    const std::uint64_t dataBytes = size - dataStart;
    HeaderChecker checker(source_, dataBytes);
    std::vector<Entry> entries;
    for (const auto& [key, value] : header.items()) {
        if (key == "__metadata__") {
            if (value.is_null())
                continue; // the reference implementation treats null metadata as absent
            if (!value.is_object())
                fail("__metadata__ is " + typeWord(value) + ", not an object of strings");
            for (const auto& [metaKey, metaValue] : value.items()) {
                if (!metaValue.is_string())
                    fail("__metadata__ value for \"" + metaKey + "\" is " + typeWord(metaValue) +
                         ", not a string");
                metadata_[metaKey] = metaValue.get<std::string>();
            }
            continue;
        }
        entries.push_back(checker.tensor(key, value));
    }

    // Overlap check on the byte ranges sorted by start. Empty tensors own no bytes, so they overlap nothing.
    std::vector<const Entry*> byStart;
    for (const auto& e : entries)
        if (e.end > e.begin)
            byStart.push_back(&e);
    std::sort(byStart.begin(), byStart.end(),
              [](const Entry* a, const Entry* b) { return a->begin < b->begin; });
    for (std::size_t i = 1; i < byStart.size(); ++i) {
        const Entry& prev = *byStart[i - 1];
        const Entry& cur = *byStart[i];
        if (cur.begin < prev.end)
            fail("tensors " + prev.name + " [" + std::to_string(prev.begin) + ", " + std::to_string(prev.end) +
                 ") and " + cur.name + " [" + std::to_string(cur.begin) + ", " + std::to_string(cur.end) +
                 ") overlap");
    }

    // nlohmann keeps object keys sorted, so tensors_ comes out in name order.
    tensors_.reserve(entries.size());
    for (auto& e : entries) {
        TensorView view;
        view.name = e.name;
        view.type = e.type;
        view.dims.assign(e.shape.rbegin(), e.shape.rend()); // [out, in] -> {in, out}
        if (view.dims.empty())
            view.dims = {1}; // a 0-d scalar is one value
        view.data = bytes_.subspan(static_cast<std::size_t>(dataStart + e.begin),
                                   static_cast<std::size_t>(e.end - e.begin));
        index_.emplace(view.name, tensors_.size());
        tensors_.push_back(std::move(view));
    }
}

} // namespace ponder
