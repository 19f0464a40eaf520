/**
 * `npm run eval:assistant`: quality and speed of the built-in classifier.
 *
 * - Held-out: trains on 80% of the seed groups, scores the other 20% (a stable hash of the group,
 *   so variants of one hand-written message never straddle the split).
 * - Cross-validation: 5 folds over seed groups on the whole data set.
 * - Fresh set: the production model on data/fresh.txt, pooled and per batch.
 * - Latency: the production model (trained on everything) classifying every message, p50/p99.
 * - Per-shop adaptation: simulated shops whose sellers label by their own convention (shop-simulation.ts): the
 *   data set read out of fold is their stream of leads, the fresh set (read by the production model) their
 *   held-out messages; their layers train as the production job does, every 20 corrections.
 *
 * `npm run eval:assistant -- --batch N` scores only fresh batch N and lists its misses: run it once
 * on a batch just written, before any change, to get that batch's blind first-run figure.
 */
import os from 'node:os';
import { type LabelledMessage, loadDataset, loadFreshBatches, loadFreshSet } from './dataset';
import { classifyMessage, warmUpClassifier } from './index';
import { crossValidate, evaluate, type HeadReport, type Report, splitHeldOut } from './metrics';
import { HEAD_NAMES, MessageModel } from './model';
import { CONVENTIONS, outOfFoldReadings, type ShopRun, simulateShop } from './shop-simulation';
import { TARGETS } from './targets';

const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

function printHead(name: string, report: HeadReport) {
  console.log(`\n  ${name}: accuracy ${pct(report.accuracy)}`);
  const width = Math.max(8, ...report.classes.map((label) => label.length));
  console.log(`    ${'class'.padEnd(width)}  precision  recall     F1  support`);
  for (const row of report.perClass) {
    console.log(
      `    ${row.label.padEnd(width)}  ${pct(row.precision).padStart(9)}  ${pct(row.recall).padStart(6)}  ${pct(row.f1).padStart(6)}  ${String(row.support).padStart(7)}`,
    );
  }
  const short = report.classes.map((label) => label.slice(0, 6));
  console.log(`    confusion (rows: actual, columns: predicted)`);
  console.log(`    ${''.padEnd(width)}  ${short.map((label) => label.padStart(6)).join(' ')}`);
  report.confusion.forEach((row, i) => {
    console.log(
      `    ${(report.classes[i] as string).padEnd(width)}  ${row.map((n) => String(n).padStart(6)).join(' ')}`,
    );
  });
}

function printReport(title: string, report: Report) {
  console.log(`\n== ${title}`);
  for (const name of HEAD_NAMES) printHead(name, report[name]);
}

function percentile(sorted: readonly number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Scores one fresh batch with the production model and lists what it got wrong. */
function scoreBatch(batchNumber: number) {
  const batch = loadFreshBatches().find((candidate) => candidate.batch === batchNumber);
  if (!batch) throw new Error(`no batch ${batchNumber} in data/fresh.txt`);
  const model = MessageModel.train(loadDataset());
  const report = evaluate(model, batch.messages);
  console.log(`Fresh batch ${batchNumber}: ${batch.messages.length} messages`);
  for (const name of HEAD_NAMES) console.log(`  ${name.padEnd(9)} ${pct(report[name].accuracy)}`);
  console.log('\nMisses (lead type / priority):');
  for (const message of batch.messages) {
    const { heads } = model.predict(message.text);
    const wrong = (['leadType', 'priority'] as const).filter((name) => heads[name].label !== message[name]);
    if (wrong.length === 0) continue;
    const shown = (name: keyof Pick<LabelledMessage, 'leadType' | 'priority'>) =>
      heads[name].label === message[name] ? message[name] : `${message[name]}→${heads[name].label}`;
    console.log(`  ${shown('leadType')} ${shown('priority')} | ${message.text}`);
  }
}

function main() {
  const batchFlag = process.argv.indexOf('--batch');
  if (batchFlag >= 0) {
    scoreBatch(Number(process.argv[batchFlag + 1]));
    return;
  }
  const messages = loadDataset();
  const { train, test } = splitHeldOut(messages);
  const groups = (list: typeof messages) => new Set(list.map((message) => message.group)).size;
  const pt = messages.filter((message) => message.language === 'pt').length;
  console.log(
    `Data set: ${messages.length} messages from ${groups(messages)} hand-written seeds, ` +
      `${pct(pt / messages.length)} Portuguese. Held-out: train ${train.length} (${groups(train)} seeds), ` +
      `test ${test.length} (${groups(test)} seeds).`,
  );

  const heldOut = evaluate(MessageModel.train(train), test);
  printReport('Held-out split (20% of seeds)', heldOut);
  const cv = crossValidate(messages, 5);
  printReport('5-fold cross-validation (all messages)', cv);
  const freshSet = loadFreshSet();
  const production = MessageModel.train(messages);
  const fresh = evaluate(production, freshSet);
  printReport(
    `Fresh check set (${freshSet.length} messages written after the model and never trained on; see data/fresh.txt)`,
    fresh,
  );
  console.log('\n  by batch (scored now, with the current model):');
  for (const { batch, messages: batchMessages } of loadFreshBatches()) {
    const report = evaluate(production, batchMessages);
    console.log(
      `    batch ${String(batch).padStart(2)}: ${String(batchMessages.length).padStart(3)} messages, ` +
        HEAD_NAMES.map((name) => `${name} ${pct(report[name].accuracy)}`).join(', '),
    );
  }

  const shopRuns = shopAdaptation(
    outOfFoldReadings(messages),
    freshSet.map((message) => ({ message, prediction: production.predict(message.text) })),
  );

  const cpu = process.threadCpuUsage();
  let started = performance.now();
  warmUpClassifier();
  const trainWall = performance.now() - started;
  const used = process.threadCpuUsage(cpu);
  const trainCpu = (used.user + used.system) / 1000;

  // Every message classified 5 times, warm. Raw wall time per call includes any wait for a CPU
  // when the machine is busy; the median of the 5 runs of each message removes most of that wait
  // and keeps the spread between short and long messages. The CPU time of the whole loop (the
  // thread's clock is too coarse for one call) gives the mean cost per call.
  for (const message of messages) classifyMessage(message.text);
  const wall: number[] = [];
  const medians: number[] = [];
  const runs = 5;
  const loopCpu = process.threadCpuUsage();
  started = performance.now();
  for (const message of messages) {
    const own: number[] = [];
    for (let run = 0; run < runs; run++) {
      const t0 = performance.now();
      classifyMessage(message.text);
      own.push(performance.now() - t0);
    }
    wall.push(...own);
    medians.push(own.sort((a, b) => a - b)[Math.floor(runs / 2)] as number);
  }
  const totalWall = performance.now() - started;
  const loopUsed = process.threadCpuUsage(loopCpu);
  const cpuPerCall = (loopUsed.user + loopUsed.system) / 1000 / wall.length;
  wall.sort((a, b) => a - b);
  medians.sort((a, b) => a - b);
  const cores = os.cpus().length;
  const load = os.loadavg()[0] ?? 0;

  console.log('\n== Speed');
  console.log(`  training at first use: ${trainWall.toFixed(0)} ms wall, ${trainCpu.toFixed(0)} ms CPU`);
  console.log(
    `  classifyMessage, ${messages.length} messages × ${runs} runs (${totalWall.toFixed(0)} ms), mean CPU ${cpuPerCall.toFixed(3)} ms per call:\n` +
      `    per message (median of ${runs}): p50 ${percentile(medians, 50).toFixed(3)} ms, p99 ${percentile(medians, 99).toFixed(3)} ms, max ${(medians.at(-1) as number).toFixed(3)} ms\n` +
      `    every call, raw:           p50 ${percentile(wall, 50).toFixed(3)} ms, p99 ${percentile(wall, 99).toFixed(3)} ms, max ${(wall.at(-1) as number).toFixed(3)} ms`,
  );
  console.log(
    `  machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${cores} cores, load ${load.toFixed(1)}, Node ${process.version}`,
  );
  if (load > cores) {
    console.log(
      `  note: load ${load.toFixed(1)} on ${cores} cores, so wall-clock tails include time spent waiting for a CPU.`,
    );
  }

  console.log('\n== Summary');
  let failed = false;
  for (const name of HEAD_NAMES) {
    const held = heldOut[name].accuracy;
    const target = (TARGETS as Record<string, number>)[name];
    const ok = target === undefined || held >= target;
    if (!ok) failed = true;
    console.log(
      `  ${name.padEnd(9)} held-out ${pct(held).padStart(6)}  CV ${pct(cv[name].accuracy).padStart(6)}  fresh ${pct(fresh[name].accuracy).padStart(6)}` +
        (target === undefined ? '' : `  target ≥ ${pct(target)} ${ok ? 'met' : 'NOT MET'}`),
    );
  }
  const p99 = percentile(medians, 99);
  const rawP99 = percentile(wall, 99);
  console.log(
    `  latency   p50 ${percentile(medians, 50).toFixed(3)} ms  p99 ${p99.toFixed(3)} ms (raw calls ${rawP99.toFixed(3)} ms)  ` +
      `target < 5 ms ${p99 < 5 && rawP99 < 5 ? 'met' : p99 < 5 ? 'met per message; raw tail above it on this busy machine' : 'NOT MET'}`,
  );
  for (const run of shopRuns) {
    const ok = run.corrections <= 200 && run.adapted.leadType >= 0.9 && run.adapted.priority >= 0.9;
    if (!ok) failed = true;
    console.log(
      `  shop "${run.convention}": type ${pct(run.adapted.leadType)}, priority ${pct(run.adapted.priority)}, both ${pct(run.adapted.both)} ` +
        `(shared ${pct(run.shared.both)}) after ${run.corrections} corrections  target ≥ 90% per head after ≤ 200 ${ok ? 'met' : 'NOT MET'}`,
    );
  }
  // The exit code follows the accuracy targets only: a wall-clock tail on a shared machine is a
  // measurement, not a reliable gate (it is printed above with the machine's load).
  if (failed) process.exitCode = 1;
}

/** The per-shop section: each simulated shop's run, printed; returned for the summary. */
function shopAdaptation(
  stream: Parameters<typeof simulateShop>[0],
  heldOut: Parameters<typeof simulateShop>[1],
): ShopRun[] {
  console.log(
    `\n== Per-shop adaptation (simulated shops; stream: ${stream.length} data-set messages read out of fold; ` +
      `held out: the ${heldOut.length} fresh messages)`,
  );
  const agreement = (a: ShopRun['shared']) =>
    `type ${pct(a.leadType).padStart(6)}  priority ${pct(a.priority).padStart(6)}  both ${pct(a.both).padStart(6)}`;
  const runs: ShopRun[] = [];
  for (const convention of CONVENTIONS) {
    const run = simulateShop(stream, heldOut, convention);
    runs.push(run);
    console.log(`\n  "${run.convention}": ${convention.description}`);
    console.log(
      `    ${run.leads} leads, ${run.corrections} corrected by the sellers, ${run.confirmations} worked as read; ` +
        `${run.versions} versions trained, ${run.activated} activated`,
    );
    console.log(`    held-out, shared model alone: ${agreement(run.shared)}`);
    console.log(`    held-out, with the shop layer: ${agreement(run.adapted)}`);
    console.log(
      `    the ${pct(run.changedShare)} of held-out messages the convention relabels: shared ${pct(run.sharedOnChanged.both)}, ` +
        `shop layer ${pct(run.adaptedOnChanged.both)}`,
    );
  }
  console.log(
    '  Other shops keep the shared model: a layer is read only for its own shop (shop-model.test.ts).',
  );
  return runs;
}

main();
