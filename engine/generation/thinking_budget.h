#pragma once
// The thinking budget: after `budget` reasoning tokens the session feeds kThinkingBudgetClosing (which ends
// with </think> and "\n\n") through the model, as Qwen's report describes, and the model goes on with its
// answer. The closing wording is not shown as reasoning: the reasoning text is what the model thought, and
// the BudgetReached event tells the user why it stopped.
#include "generation/reasoning_splitter.h"
#include "tokenizer/tokenizer.h"

#include <cstdint>
#include <vector>

namespace ponder {

// True when reasoning is open and has used up `budget` tokens (budget -1: unlimited; 0: no reasoning at all).
bool thinkingBudgetSpent(const ReasoningSplitter& splitter, std::int64_t budget);

// kThinkingBudgetClosing as ids. Throws ponder::Error when the vocabulary has no </think> token (the
// closing could not end the think block).
std::vector<std::int32_t> thinkingBudgetClosingIds(const Tokenizer& tokenizer);

} // namespace ponder
