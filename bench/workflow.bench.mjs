#!/usr/bin/env node
/**
 * What the workflow bounds cost: a run of many sequential service tasks, and a loop stopped at its
 * step limit. Each measurement runs in a fresh process; figures are printed, never asserted.
 *
 *   node bench/workflow.bench.mjs [--tasks N] [--steps N]
 *
 * Prints one JSON line per benchmark:
 *   sequential-refused N sequential no-op service tasks (default 10000) with the default limits:
 *                      refused up front by maxElements; the time until the refusal
 *   sequential-tasks   the same file run with maxElements raised past it: wall time, time per
 *                      task, peak RSS and the run's status (what the limit spares a CI job)
 *   step-limit-loop    a loop through one service task stopped at --max-steps (default 10000):
 *                      wall time until the run ended as failed, time per step, peak RSS
 * The TypeScript sources are bundled on the fly with esbuild, as the product build does.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bpmnEngineVersionPlugin, yamlEsmPlugin } from '../scripts/buildPlugins.mjs';
import { root } from './harness.mjs';

const args = process.argv.slice(2);
const numberFlag = (flag, fallback) => {
  const i = args.indexOf(flag);
  const n = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) {
    console.error(`workflow.bench: ${flag} must be a whole number >= 1`);
    process.exit(2);
  }
  return n;
};
const tasks = numberFlag('--tasks', 10_000);
const steps = numberFlag('--steps', 10_000);

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="https://example.com/bench">\n<process id="bench" isExecutable="true">\n<startEvent id="Start" />\n';
const TAIL = '</process>\n</definitions>\n';

function sequential(n) {
  const parts = [HEAD];
  let previous = 'Start';
  for (let i = 0; i < n; i++) {
    parts.push(`<serviceTask id="T${i}" implementation="\${environment.services.bench.step}" /><sequenceFlow id="F${i}" sourceRef="${previous}" targetRef="T${i}" />\n`);
    previous = `T${i}`;
  }
  parts.push(`<endEvent id="End" /><sequenceFlow id="F_end" sourceRef="${previous}" targetRef="End" />\n`, TAIL);
  return parts.join('');
}

const loop = `${HEAD}<sequenceFlow id="F0" sourceRef="Start" targetRef="T" />\n<serviceTask id="T" implementation="\${environment.services.bench.step}" />\n<sequenceFlow id="F1" sourceRef="T" targetRef="T" />\n${TAIL}`;

/** Run in child processes: `node bundle.cjs <mode> <workflow file> <max steps>`. */
const entry = `
import { ServiceRegistry } from './src/core/services/registry';
import { runWorkflow } from './src/core/workflow/runner';

const [mode, file, maxStepsText] = process.argv.slice(2);
const quiet = () => undefined;
const host = {
  engine: { kind: 'native', load: () => Promise.reject(new Error('unused')), check: () => Promise.reject(new Error('unused')) },
  log: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
  publishDiagnostics: quiet,
};
let calls = 0;
const services = new ServiceRegistry().register('bench.step', async () => {
  calls++;
  return {};
});

async function main() {
  if (mode === 'refused') {
    const t = performance.now();
    const message = await runWorkflow({ workflow: file, inputs: {}, host, services }).then(() => 'ran', (err) => String(err.message));
    process.stdout.write(JSON.stringify({ ms: performance.now() - t, message, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  const limits = mode === 'loop' ? { maxSteps: Number(maxStepsText) } : { maxElements: 10_000_000, maxSteps: 10_000_000 };
  const t = performance.now();
  const { record } = await runWorkflow({ workflow: file, inputs: {}, host, services, limits });
  const ms = performance.now() - t;
  process.stdout.write(JSON.stringify({ ms, calls, status: record.status, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}
main().catch((err) => { console.error(err); process.exit(1); });
`;

const work = await mkdtemp(join(tmpdir(), 'weavergen-workflow-bench-'));
try {
  const seqFile = join(work, 'sequential.bpmn');
  const loopFile = join(work, 'loop.bpmn');
  await writeFile(seqFile, sequential(tasks));
  await writeFile(loopFile, loop);
  // Bundled as the product build does (bpmn-engine needs its version plugin there too).
  const bundle = join(work, 'workflow.cjs');
  await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'workflow-entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [bpmnEngineVersionPlugin, yamlEsmPlugin],
    outfile: bundle,
    logLevel: 'error',
  });
  const run = (mode, file) =>
    JSON.parse(execFileSync(process.execPath, [...process.execArgv, bundle, mode, file, String(steps)], { encoding: 'utf8', maxBuffer: 1 << 24 }));
  const refused = run('refused', seqFile);
  console.log(JSON.stringify({ bench: 'sequential-refused', tasks, refused: refused.message !== 'ran', ms: Math.round(refused.ms), peakRssMiB: Math.round(refused.peakRssMiB) }));
  const seq = run('sequential', seqFile);
  console.log(JSON.stringify({ bench: 'sequential-tasks', tasks, status: seq.status, ms: Math.round(seq.ms), msPerTask: +(seq.ms / tasks).toFixed(3), peakRssMiB: Math.round(seq.peakRssMiB) }));
  const lp = run('loop', loopFile);
  console.log(JSON.stringify({ bench: 'step-limit-loop', maxSteps: steps, status: lp.status, serviceCalls: lp.calls, ms: Math.round(lp.ms), msPerStep: +(lp.ms / steps).toFixed(3), peakRssMiB: Math.round(lp.peakRssMiB) }));
} finally {
  await rm(work, { recursive: true, force: true });
}
