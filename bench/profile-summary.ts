// Self time by function (and by file) from a V8 .cpuprofile, the top entries.
import { readFileSync } from "node:fs";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
const profile = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as { nodes: Node[]; samples: number[] };
const total = profile.samples.length;
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
const counts = new Map<number, number>();
for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
for (const node of profile.nodes) {
  const hits = counts.get(node.id) ?? 0;
  if (!hits) continue;
  const file = node.callFrame.url.replace(/^.*\/(node_modules\/[^/]+|work\/main\/)/, "$1") || "(native)";
  const fn = `${node.callFrame.functionName || "(anon)"} ${file}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
  byFile.set(file, (byFile.get(file) ?? 0) + hits);
}
const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => `${((hits / total) * 100).toFixed(1).padStart(5)}%  ${name}`).join("\n");
console.log(`by file (self time, ${total} samples)\n${top(byFile, 25)}\n\nby function\n${top(byFunction, 40)}`);

// `... FILE name`: the callers of functions called `name`, by their share of its self time.
const wanted = process.argv[3];
if (wanted) {
  const parent = new Map<number, Node>();
  for (const node of profile.nodes as (Node & { children?: number[] })[]) for (const c of node.children ?? []) parent.set(c, node);
  const callers = new Map<string, number>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName !== wanted) continue;
    const hits = counts.get(node.id) ?? 0;
    const chain: string[] = [];
    for (let p = parent.get(node.id); p && chain.length < 4; p = parent.get(p.id)) chain.push(p.callFrame.functionName || "(anon)");
    const key = chain.join(" < ");
    callers.set(key, (callers.get(key) ?? 0) + hits);
  }
  console.log(`\ncallers of ${wanted}\n${top(callers, 15)}`);
}
