#pragma once
// One GenerationSession per conversation, so a follow-up turn only prefills what is new. Each session holds a
// KV cache; when their caches together would pass the memory budget, the least recently used sessions are
// dropped (that conversation's next turn prefills from scratch, nothing else is lost).
#include "generation/generation_session.h"
#include "inference/qwen3_forward.h"
#include "model/model_file.h"

#include <QtGlobal>

#include <cstdint>
#include <list>
#include <memory>

namespace ponder::app {

// Bytes of a KV cache of `positions` for `config`, at the widest element a backend stores (fp32).
std::uint64_t kvCacheBytes(const ModelConfig& config, qint64 positions);

class SessionCache {
public:
    SessionCache(const ModelFile& model, Qwen3Forward& forward, std::uint64_t budgetBytes);

    // The conversation's session, made (and older ones evicted) when it has none or its context length
    // changed. Marks it most recently used.
    GenerationSession& session(qint64 conversationId, qint64 contextLength);
    void drop(qint64 conversationId);

    std::size_t size() const { return entries_.size(); }
    bool contains(qint64 conversationId) const;
    std::uint64_t bytes() const;

private:
    struct Entry {
        qint64 conversationId;
        qint64 contextLength;
        std::uint64_t bytes;
        std::unique_ptr<GenerationSession> session;
    };

    const ModelFile& model_;
    Qwen3Forward& forward_;
    std::uint64_t budgetBytes_;
    std::list<Entry> entries_; // most recently used first
};

} // namespace ponder::app
