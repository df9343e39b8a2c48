#include "generation/thinking_budget.h"

#include "core/error.h"

#include <algorithm>

namespace ponder {

// Qwen3 technical report §4.3 has "...directly now.\n</think>.\n\n"; like most engines we drop the stray
// period so the answer starts right after the block, as it does after a generated </think>.
const char* const kThinkingBudgetClosing =
    "\n\nConsidering the limited time by the user, I have to give the solution based on the thinking directly "
    "now.\n</think>\n\n";

bool thinkingBudgetSpent(const ReasoningSplitter& splitter, std::int64_t budget)
{
    return budget >= 0 && splitter.channel() == Channel::Reasoning && splitter.reasoningTokens() >= budget;
}

std::vector<std::int32_t> thinkingBudgetClosingIds(const Tokenizer& tokenizer)
{
    const auto close = tokenizer.tokenId("</think>");
    std::vector<std::int32_t> ids = tokenizer.encode(kThinkingBudgetClosing);
    if (!close || std::find(ids.begin(), ids.end(), *close) == ids.end())
        throw Error("thinking budget: the model's vocabulary has no </think> token to end reasoning with");
    return ids;
}

} // namespace ponder
