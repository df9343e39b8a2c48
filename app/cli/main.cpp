// ponder-cli: a thin command-line front over Ponder's engine, for scripts, tests and benchmarks.
#include "cli_args.h"
#include "commands.h"
#include "core/error.h"

#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

namespace {

constexpr const char* kUsage = R"(usage: ponder-cli COMMAND [ARGS]

  info MODEL [--json]                            architecture, size, tensor types, tokenizer, thinking
  tokenize MODEL (--text S | --file F) [--json]  text -> token ids
  detokenize MODEL --ids 1,2,3                   token ids -> text
  prompt MODEL --conversation F.json [--no-think] [--json]
                                                 render a conversation with the Qwen3 chat template
  synth --preset P --format gguf|hf --type T [--layers N] [--seed S] [--tokenizer DIR] --out PATH
        [--reasoning TEXT --answer TEXT]         write a random-weight Qwen3 model (preset scripted: one
                                                 that always thinks TEXT and answers TEXT)
  run MODEL (--prompt S | --conversation F.json | --prompt-ids 1,2,3) [--backend cpu|vulkan|auto] [--device D]
      [--greedy | --temp T --top-k K --top-p P --min-p M --presence-penalty X --seed S] [--max-tokens N]
      [--think | --no-think] [--think-budget N] [--ignore-eos] [--json] [--logits-top K] [--logits-out FILE]
                                                 generate one answer (--json: a line per token, then stats)
  chat MODEL [--backend B] [--device D] [--think-budget N] [--max-tokens N] [--context N] [sampling flags]
                                                 chat in the terminal; /think, /no_think, :budget N, :quit
  bench MODEL [--backend B] [--device D] [-p 512] [-n 128] [-r 3] [--json]
                                                 prefill and decode tokens/s, decode bandwidth vs memcpy

  devices [--json]                               the Vulkan devices and what each offers
  models list [--json] [--context N]             the app's model library: Ponder's folder, added folders
                                                 and other apps' stores (Hugging Face, LM Studio, Ollama,
                                                 GPT4All), with ids and whether each fits this machine
  models scan                                    count what the library finds, and list unreadable models
  models import PATH [--copy|--move|--in-place]  into Ponder's models folder (default --copy), or
                                                 listed where it is
  models rm ID                                   delete a model from Ponder's models folder (others are
                                                 never deleted: hide them in the app)
  models pull REPO FILE [--source huggingface|mirror|modelscope] [--mirror URL] [--endpoint URL]
  models pull URL                                download into Ponder's models folder: resumes a .part,
                                                 retries, verifies the SHA-256; token from HF_TOKEN or
                                                 MODELSCOPE_API_TOKEN; Ctrl-C keeps the .part

MODEL is a .gguf file or a Hugging Face model folder. --backend auto uses Vulkan when the machine has a GPU,
else the CPU backend; --device picks a Vulkan device by index or name (see `devices`).
)";

} // namespace

int main(int argc, char** argv)
{
    using namespace ponder::cli;
    const std::map<std::string, std::function<int(const Args&)>> commands = {
        {"info", runInfo},         {"tokenize", runTokenize}, {"detokenize", runDetokenize},
        {"prompt", runPrompt},     {"synth", runSynth},       {"run", runRun},
        {"chat", runChat},         {"bench", runBench},       {"devices", runDevices},
        {"models", runModels},
    };
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const auto command = commands.find(argv[1]);
    if (command == commands.end()) {
        std::fprintf(stderr, "ponder-cli: unknown command '%s'\n%s", argv[1], kUsage);
        return 2;
    }
    try {
        return command->second(Args(argv + 2, argv + argc));
    } catch (const UsageError& e) {
        std::fprintf(stderr, "ponder-cli %s: %s (see ponder-cli --help)\n", argv[1], e.what());
        return 2;
    } catch (const ponder::Error& e) {
        std::fprintf(stderr, "ponder-cli: %s\n", e.what());
        return 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "ponder-cli: out of memory\n");
        return 1;
    }
}
