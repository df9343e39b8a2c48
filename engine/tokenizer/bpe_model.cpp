#include "tokenizer/bpe_model.h"

#include "core/error.h"
#include "tokenizer/byte_level.h"

#include <algorithm>
#include <cstdio>

namespace ponder {
namespace {

// One symbol of the word being merged; symbols form a doubly linked list over a fixed array, and a
// symbol merged into its left neighbour is marked dead (id -1). Symbol 0 is never removed.
struct Symbol {
    std::int32_t id;
    std::int32_t prev;
    std::int32_t next;
};

// A possible merge of the symbol at `pos` with its right neighbour. Lower rank first, then lower
// position, which is Hugging Face's order (and leftmost-first for repeated pairs like "Ġ Ġ").
struct Candidate {
    std::uint32_t rank;
    std::uint32_t pos;
    bool operator>(const Candidate& other) const
    {
        return rank != other.rank ? rank > other.rank : pos > other.pos;
    }
};

// Reused across calls on the same thread so that merging allocates nothing once warm.
struct Scratch {
    std::vector<Symbol> symbols;
    std::vector<Candidate> heap;
};

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

} // namespace

BpeModel::BpeModel(const std::vector<std::string>& tokens, const std::vector<std::string>& merges,
                   const std::string& source)
    : merges_(merges.size())
{
    vocab_.reserve(tokens.size());
    for (std::size_t id = 0; id < tokens.size(); ++id)
        if (!tokens[id].empty())
            vocab_[tokens[id]] = static_cast<std::int32_t>(id);

    for (unsigned b = 0; b < 256; ++b) {
        const char byte = static_cast<char>(b);
        const std::string text = byteLevelEncode(std::string_view(&byte, 1));
        const auto id = idOf(text);
        if (!id) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02X", b);
            throw Error(source + ": the vocabulary has no token for byte " + hex + " (" + quoted(text) +
                        "), so not every text can be encoded");
        }
        byteIds_[b] = *id;
    }

    for (std::size_t rank = 0; rank < merges.size(); ++rank) {
        const std::string& line = merges[rank];
        const std::size_t space = line.size() > 1 ? line.find(' ', 1) : std::string::npos;
        if (space == std::string::npos || space + 1 >= line.size())
            throw Error(source + ": merge " + std::to_string(rank) + " " + quoted(line) +
                        " is not two tokens separated by a space");
        const std::string_view left = std::string_view(line).substr(0, space);
        const std::string_view right = std::string_view(line).substr(space + 1);
        const std::string merged = std::string(left).append(right);
        const auto leftId = idOf(left), rightId = idOf(right), mergedId = idOf(merged);
        if (!leftId || !rightId || !mergedId) {
            const std::string_view missing = !leftId ? left : !rightId ? right : std::string_view(merged);
            throw Error(source + ": merge " + std::to_string(rank) + " " + quoted(line) + " uses token " +
                        quoted(missing) + ", which is not in the vocabulary");
        }
        merges_.insert(*leftId, *rightId, Merge{static_cast<std::uint32_t>(rank), *mergedId});
    }
}

std::optional<std::int32_t> BpeModel::idOf(std::string_view tokenText) const
{
    const auto it = vocab_.find(tokenText);
    if (it == vocab_.end())
        return std::nullopt;
    return it->second;
}

void BpeModel::encodePiece(std::string_view bytes, std::vector<std::int32_t>& out) const
{
    if (bytes.empty())
        return;
    if (bytes.size() == 1) {
        out.push_back(byteIds_[static_cast<std::uint8_t>(bytes[0])]);
        return;
    }
    if (cache_.lookup(bytes, out))
        return;
    const std::size_t first = out.size();
    mergeSymbols(bytes, out);
    cache_.insert(bytes, std::span<const std::int32_t>(out).subspan(first));
}

void BpeModel::mergeSymbols(std::string_view bytes, std::vector<std::int32_t>& out) const
{
    thread_local Scratch scratch;
    auto& symbols = scratch.symbols;
    auto& heap = scratch.heap;
    const auto n = static_cast<std::int32_t>(bytes.size());
    symbols.resize(bytes.size());
    heap.clear();
    for (std::int32_t i = 0; i < n; ++i)
        symbols[i] = {byteIds_[static_cast<std::uint8_t>(bytes[i])], i - 1, i + 1 < n ? i + 1 : -1};

    const auto consider = [&](std::int32_t pos) { // queue the merge of `pos` with its right neighbour
        const Symbol& s = symbols[pos];
        if (s.next < 0)
            return;
        if (const auto m = merges_.find(s.id, symbols[s.next].id)) {
            heap.push_back({m->rank, static_cast<std::uint32_t>(pos)});
            std::push_heap(heap.begin(), heap.end(), std::greater<>{});
        }
    };
    for (std::int32_t i = 0; i + 1 < n; ++i)
        consider(i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
        const Candidate top = heap.back();
        heap.pop_back();
        Symbol& s = symbols[top.pos];
        if (s.id < 0 || s.next < 0)
            continue; // merged away since it was queued
        Symbol& right = symbols[s.next];
        const auto m = merges_.find(s.id, right.id);
        if (!m || m->rank != top.rank)
            continue; // a neighbour changed since it was queued: this pair no longer exists
        s.id = m->mergedId;
        right.id = -1;
        s.next = right.next;
        if (s.next >= 0)
            symbols[s.next].prev = static_cast<std::int32_t>(top.pos);
        if (s.prev >= 0)
            consider(s.prev);
        consider(static_cast<std::int32_t>(top.pos));
    }
    for (std::int32_t i = 0; i >= 0; i = symbols[i].next)
        out.push_back(symbols[i].id);
}

} // namespace ponder
