// Parses and renders every ```mermaid block of the Markdown files given as
// arguments with the real mermaid library (the version pinned in
// package-lock.json). jsdom supplies the DOM; it has no layout, so text
// measures are stubbed: the picture's geometry is meaningless, but every
// label goes through mermaid's own Markdown and HTML handling, which is where
// a name with a backtick or a leading `- ` turns into "Unsupported markdown".
// Prints `file:line: error` per broken diagram.
// Exit codes: 0 all parse, 1 a diagram does not parse, 2 could not run.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>", {
  pretendToBeVisual: true,
});
globalThis.window = window;
// DOMPurify and mermaid's sanitizer reach for DOM classes (Element, Node, ...) as globals.
for (const name of Object.getOwnPropertyNames(window)) {
  if (!(name in globalThis)) {
    try {
      globalThis[name] = window[name];
    } catch {
      // localStorage and the like refuse an opaque origin; nothing here needs them.
    }
  }
}

// jsdom does no layout: a width from the text length is enough to render.
const measure = function () {
  const width = 8 * (this.textContent?.length ?? 1);
  return { x: 0, y: 0, width, height: 16 };
};
window.SVGElement.prototype.getBBox = measure;
window.SVGElement.prototype.getComputedTextLength = function () {
  return measure.call(this).width;
};

const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

/** The mermaid blocks of a Markdown text, with the line each starts on. */
export function blocks(text) {
  const out = [];
  const lines = text.split("\n");
  let open = null;
  lines.forEach((line, i) => {
    if (open === null && /^```mermaid\s*$/.test(line)) {
      open = { line: i + 2, body: [] };
    } else if (open !== null && /^```\s*$/.test(line)) {
      out.push({ line: open.line, source: open.body.join("\n") });
      open = null;
    } else if (open !== null) {
      open.body.push(line);
    }
  });
  if (open !== null) {
    out.push({ line: open.line, source: null });
  }
  return out;
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check.mjs FILE.md...");
  process.exit(2);
}
let failed = 0;
let parsed = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    console.error(`error: reading ${file}: ${err.message}`);
    process.exit(2);
  }
  const found = blocks(text);
  if (found.length === 0) {
    console.error(`${file}: no mermaid diagram`);
    failed += 1;
  }
  for (const { line, source } of found) {
    if (source === null) {
      console.error(`${file}:${line}: the mermaid block is not closed`);
      failed += 1;
      continue;
    }
    try {
      const result = await mermaid.parse(source);
      if (result.diagramType !== "flowchart-v2" && result.diagramType !== "flowchart") {
        throw new Error(`expected a flowchart, mermaid read a ${result.diagramType}`);
      }
      const { svg } = await mermaid.render(`diagram${parsed + failed}`, source);
      const refused = svg.match(/Unsupported markdown: \w+/);
      if (refused) {
        throw new Error(`a label renders as "${refused[0]}"`);
      }
      parsed += 1;
    } catch (err) {
      const message = String(err.message ?? err).split("\n").join("\n    ");
      console.error(`${file}:${line}: ${message}`);
      failed += 1;
    }
  }
}
const version = createRequire(import.meta.url)("mermaid/package.json").version;
console.log(`mermaid ${version}: ${parsed} diagram(s) parse and render, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
