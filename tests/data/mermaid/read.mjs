// Mermaid's own parser reading diagrams: one JSON string per input line, one JSON answer per
// output line ({ok, title, sections, tasks} or {ok: false, error}). Mermaid needs a DOM for
// its sanitiser even to parse, so jsdom provides one.
import * as readline from "node:readline";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const key of ["Element", "HTMLElement", "Node", "DOMParser", "SVGElement"]) {
  if (!(key in globalThis)) globalThis[key] = dom.window[key];
}
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  let answer;
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(JSON.parse(line));
    const db = diagram.db;
    answer = {
      ok: true,
      title: db.getDiagramTitle(),
      sections: db.getSections(),
      tasks: db.getTasks().map((t) => ({ task: t.task, section: t.section, id: t.id })),
    };
  } catch (error) {
    answer = { ok: false, error: String((error && error.message) || error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
