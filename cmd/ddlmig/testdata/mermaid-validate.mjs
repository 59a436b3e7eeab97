// Reads a Mermaid diagram on stdin and parses it with mermaid's own parser
// (under jsdom, which its sanitizer needs); exit 0 when valid, 1 with the
// parser's message when not.
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
const text = readFileSync(0, 'utf8');
try {
  const r = await mermaid.parse(text);
  console.log('ok ' + r.diagramType);
} catch (e) {
  console.log('invalid: ' + (e && e.message ? e.message : e));
  process.exit(1);
}
