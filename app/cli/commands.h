#pragma once
// The ponder-cli commands. Each takes the arguments after its name and returns the exit status.
// They throw ponder::Error for problems with files (status 1) and cli::UsageError for bad calls (status 2).
#include <string>
#include <vector>

namespace ponder::cli {

using Args = std::vector<std::string>;

int runInfo(const Args& args);
int runTokenize(const Args& args);
int runDetokenize(const Args& args);
int runPrompt(const Args& args);
int runSynth(const Args& args);
int runRun(const Args& args);
int runChat(const Args& args);
int runBench(const Args& args);
int runDevices(const Args& args);
int runModels(const Args& args); // links the model library (Qt Core): makes its own QCoreApplication

} // namespace ponder::cli
