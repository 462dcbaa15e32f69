#!/usr/bin/env node
// `palisade jsonl` through the WASM package: one JSON request per stdin line, one response per
// line on stdout. The argument `jsonl` is accepted (and ignored) so tools that drive the native
// binary, such as the shared conformance runner, can drive this one with `--bin`.
import { createInterface } from 'node:readline';
import { handleJson } from '@palisade/wasm';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of lines) {
  if (line.trim() === '') continue;
  out.push(handleJson(line));
  if (out.length >= 256) process.stdout.write(`${out.splice(0).join('\n')}\n`);
}
if (out.length) process.stdout.write(`${out.join('\n')}\n`);
