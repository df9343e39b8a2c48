#include "context_size.h"

#include "generation/generation_session.h"

#include <algorithm>

namespace ponder::cli {

std::int64_t renderedPromptTokens(const ModelFile& model, ChatRequest request, bool thinking)
{
    if (model.thinking() == ThinkingSupport::Hybrid)
        request.enableThinking = thinking;
    return static_cast<std::int64_t>(model.tokenizer().encode(formatChat(request, model.thinking())).size());
}

std::int64_t contextSize(const ModelFile& model, std::int64_t tokens)
{
    constexpr std::int64_t kSlack = 16;
    const auto closing = static_cast<std::int64_t>(model.tokenizer().encode(kThinkingBudgetClosing).size());
    const std::int64_t wanted = tokens + closing + kSlack;
    const std::int64_t limit = model.config().contextLength;
    return limit > 0 ? std::min(wanted, limit) : wanted;
}

} // namespace ponder::cli
