#pragma once
// Token ids given on the command line as "1,2,3".
#include <cstdint>
#include <string>
#include <vector>

namespace ponder::cli {

// Parses the list given to `option`; UsageError for a non-integer, an empty list or an id outside
// 0..vocabSize-1.
std::vector<std::int32_t> parseIdList(const std::string& list, const std::string& option, std::int64_t vocabSize);

} // namespace ponder::cli
