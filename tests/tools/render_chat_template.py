#!/usr/bin/env python3
"""Renders chat conversations with a Jinja chat template the way Hugging Face transformers'
apply_chat_template(..., tokenize=False) does, as the reference for Ponder's C++ formatChat.

transformers compiles the template in an ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
with the loopcontrols extension, replaces the `tojson` filter by json.dumps(ensure_ascii=False) and adds the
raise_exception and strftime_now globals. It then renders with messages, tools, documents,
add_generation_prompt, the tokenizer's special tokens and any extra keyword (enable_thinking here). This script
does the same without needing transformers installed.

Input (stdin), one JSON object:
  {"template_path": "<tokenizer_config.json, or a .jinja file>",   -- or --
   "template": "<the template text>",
   "conversations": [{"messages": [...], "tools": [...], "enable_thinking": bool,
                      "add_generation_prompt": bool}, ...]}
add_generation_prompt defaults to true here, as in Ponder's chatRequestFromJson (transformers defaults to
false); enable_thinking is passed only when present, so "unset" stays undefined in the template. Other keys of
a conversation (e.g. "name") are ignored. `--template-file PATH` overrides the template from the command line.

Output (stdout): a JSON array with, per conversation, the rendered string or {"error": "<message>"}.
"""
import argparse
import json
import sys
from datetime import datetime

import jinja2
import jinja2.ext
from jinja2.sandbox import ImmutableSandboxedEnvironment


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers' override: Jinja's own tojson would HTML-escape and sort keys.
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def strftime_now(format):
    return datetime.now().strftime(format)


def compile_template(text):
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env.from_string(text)


def token_text(token):
    # tokenizer_config.json writes special tokens as strings or as AddedToken objects.
    return token.get("content") if isinstance(token, dict) else token


def load_template(request, override_path):
    """Returns (template text, special tokens to pass like transformers' special_tokens_map)."""
    path = override_path or request.get("template_path")
    if path is None:
        return request["template"], {}
    with open(path, encoding="utf-8") as f:
        if not path.endswith(".json"):
            return f.read(), {}
        config = json.load(f)
    tokens = {key: token_text(config[key]) for key in ("bos_token", "eos_token", "unk_token", "pad_token")
              if config.get(key) is not None}
    return config["chat_template"], tokens


def render(template, special_tokens, conversation):
    kwargs = dict(special_tokens)
    if "enable_thinking" in conversation:
        kwargs["enable_thinking"] = conversation["enable_thinking"]
    return template.render(messages=conversation["messages"], tools=conversation.get("tools"), documents=None,
                           add_generation_prompt=conversation.get("add_generation_prompt", True), **kwargs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template-file", help="read the template from this file instead of the input's")
    args = parser.parse_args()

    request = json.load(sys.stdin)
    text, special_tokens = load_template(request, args.template_file)
    template = compile_template(text)
    results = []
    for conversation in request["conversations"]:
        try:
            results.append(render(template, special_tokens, conversation))
        except Exception as error:  # report per conversation; the caller says which one failed
            results.append({"error": f"{type(error).__name__}: {error}"})
    json.dump(results, sys.stdout, ensure_ascii=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
