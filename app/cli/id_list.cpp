#include "id_list.h"

#include "cli_args.h"

#include <sstream>

namespace ponder::cli {

std::vector<std::int32_t> parseIdList(const std::string& list, const std::string& option, std::int64_t vocabSize)
{
    std::vector<std::int32_t> ids;
    std::stringstream stream(list);
    std::string item;
    while (std::getline(stream, item, ',')) {
        if (item.empty())
            continue;
        const long long id = parseInteger(item, option);
        if (id < 0 || id >= vocabSize)
            throw UsageError(option + ": token id " + item + " is outside the vocabulary (0.." +
                             std::to_string(vocabSize - 1) + ")");
        ids.push_back(static_cast<std::int32_t>(id));
    }
    if (ids.empty())
        throw UsageError(option + ": no token ids given");
    return ids;
}

} // namespace ponder::cli
