/**
 * `npm run eval:assistant`: quality and speed of the built-in classifier.
 *
 * - Held-out: trains on 80% of the seed groups, scores the other 20% (a stable hash of the group,
 *   so variants of one hand-written message never straddle the split).
 * - Cross-validation: 5 folds over seed groups on the whole data set.
 * - Latency: the production model (trained on everything) classifying every message, p50/p99.
 */
import os from 'node:os';
import { loadDataset, loadFreshSet } from './dataset';
import { classifyMessage, warmUpClassifier } from './index';
import { crossValidate, evaluate, type HeadReport, type Report, splitHeldOut } from './metrics';
import { HEAD_NAMES, MessageModel } from './model';
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

function main() {
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
  const fresh = evaluate(MessageModel.train(messages), freshSet);
  printReport(
    `Fresh check set (${freshSet.length} messages written after the model, never trained or tuned on)`,
    fresh,
  );

  let cpu = process.cpuUsage();
  let started = performance.now();
  warmUpClassifier();
  const trainWall = performance.now() - started;
  let used = process.cpuUsage(cpu);
  const trainCpu = (used.user + used.system) / 1000;

  const latencies: number[] = [];
  for (const message of messages) classifyMessage(message.text);
  cpu = process.cpuUsage();
  started = performance.now();
  for (const message of messages) {
    const t0 = performance.now();
    classifyMessage(message.text);
    latencies.push(performance.now() - t0);
  }
  const totalWall = performance.now() - started;
  used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);

  console.log('\n== Speed');
  console.log(`  training at first use: ${trainWall.toFixed(0)} ms wall, ${trainCpu.toFixed(0)} ms CPU`);
  console.log(
    `  classifyMessage over ${latencies.length} messages: p50 ${percentile(latencies, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(3)} ms, max ${(latencies.at(-1) as number).toFixed(3)} ms ` +
      `(${((used.user + used.system) / 1000 / latencies.length).toFixed(3)} ms CPU each, ${totalWall.toFixed(0)} ms total)`,
  );
  console.log(
    `  machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}, Node ${process.version}`,
  );

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
  const p99 = percentile(latencies, 99);
  console.log(`  latency   p99 ${p99.toFixed(3)} ms  target < 5 ms ${p99 < 5 ? 'met' : 'NOT MET'}`);
  if (failed || p99 >= 5) process.exitCode = 1;
}

main();
