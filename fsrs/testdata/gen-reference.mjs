// gen-reference.mjs writes reference.json, the table that reference_test.go
// checks the fsrs package against: review sequences run through the FSRS-6
// memory model of ts-fsrs 5.4.2, the reference TypeScript scheduler of the
// open-spaced-repetition project, with its default weights.
//
// ts-fsrs is not a dependency of prepbot and its node_modules stay out of the
// repository. To regenerate the table, from the repository root:
//
//	mkdir -p /tmp/fsrsref && npm install --prefix /tmp/fsrsref ts-fsrs@5.4.2
//	node fsrs/testdata/gen-reference.mjs /tmp/fsrsref > fsrs/testdata/reference.json
//
// The argument is the folder whose node_modules holds ts-fsrs; the script
// refuses any version but 5.4.2, so that a regenerated table differs only if
// this script does. The output is deterministic: the "random" sequences come
// from a fixed-seed generator.
//
// For every step the table holds what ts-fsrs's FSRSAlgorithm computes, each
// value rounded by ts-fsrs itself to 8 decimals:
//
//	r         forgetting_curve(gap, S before the step), the retrievability at
//	          the review that the step uses; 0 for a new card's first rating
//	s, d      next_state(previous state, gap, rating): stability, difficulty
//	interval  next_interval(s) with fuzz off: round(s · interval modifier),
//	          kept within [1, maximum_interval]. This is the interval of the
//	          new stability before any ordering of the Hard/Good/Easy
//	          buttons, which prepbot does its own way.
//
// gap is in whole days since the previous review (0: the same day, where
// ts-fsrs uses the short-term formula for every rating, as next_state does
// with enable_short_term on, its default).

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const WANT_VERSION = '5.4.2';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node gen-reference.mjs DIR  (DIR/node_modules holds ts-fsrs@' + WANT_VERSION + ')');
  process.exit(2);
}
const require = createRequire(join(resolve(dir), 'package.json'));
const ts = await import(pathToFileURL(require.resolve('ts-fsrs')).href);
// FSRSVersion reads "v5.4.2 using FSRS-6.0".
if (!ts.FSRSVersion.startsWith(`v${WANT_VERSION} `)) {
  console.error(`ts-fsrs ${ts.FSRSVersion} in ${dir}; want ${WANT_VERSION}`);
  process.exit(1);
}

// The FSRS-6 defaults, written out so that the table records them; the Go
// test checks they are prepbot's defaultWeights and ts-fsrs checks below that
// they are its default_w.
const W = [
  0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
  1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];
if (JSON.stringify(W) !== JSON.stringify([...ts.default_w])) {
  console.error('ts-fsrs default_w differs from the weights written here:', ts.default_w);
  process.exit(1);
}

const A = ts.Rating.Again, H = ts.Rating.Hard, G = ts.Rating.Good, E = ts.Rating.Easy;
const names = { [A]: 'again', [H]: 'hard', [G]: 'good', [E]: 'easy' };

function scheduler(retention, maxInterval) {
  return ts.fsrs({
    w: W,
    request_retention: retention,
    maximum_interval: maxInterval,
    enable_fuzz: false,
    enable_short_term: true,
  });
}

// run computes one sequence. A step's gap may be a number of days or a
// function of the previous step's reference interval (for "on the due
// date" and "overdue" reviews).
function run(name, steps, { retention = 0.9, maxInterval = 36500 } = {}) {
  const f = scheduler(retention, maxInterval);
  let state = null;
  let interval = 0;
  const out = [];
  for (const [i, [rating, gapSpec]] of steps.entries()) {
    const gap = i === 0 ? 0 : typeof gapSpec === 'function' ? gapSpec(interval) : gapSpec;
    if (!Number.isInteger(gap) || gap < 0) throw new Error(`${name}: step ${i}: bad gap ${gap}`);
    const r = state === null ? 0 : f.forgetting_curve(gap, state.stability);
    state = f.next_state(state, gap, rating);
    interval = f.next_interval(state.stability, gap);
    out.push({ rating: names[rating], gap, r, s: state.stability, d: state.difficulty, interval });
  }
  return { name, retention, max_interval: maxInterval, steps: out };
}

const due = (ivl) => ivl;
const overdue = (k) => (ivl) => Math.round(ivl * k);
const rep = (n, step) => Array.from({ length: n }, () => step);

const sequences = [
  // Issue 15: at the last step the old rule gave S = 1.1425.
  run('issue 15: hard, again +389, hard +390, again +386, hard same day',
    [[H, 0], [A, 389], [H, 390], [A, 386], [H, 0]]),
  run('well learned, then hard twice on one day',
    [[G, 0], ...rep(5, [G, due]), [H, due], [H, 0], [H, 0]]),
  run('py-fsrs test_memo_state: again, good 0, 1, 3, 8, 21 days apart',
    [[A, 0], [G, 0], [G, 1], [G, 3], [G, 8], [G, 21]]),
  run('good on every due date', [[G, 0], ...rep(14, [G, due])]),
  run('hard on every due date', [[H, 0], ...rep(14, [H, due])]),
  run('easy on every due date up to the 36500-day ceiling', [[E, 0], ...rep(9, [E, due])]),
  run('easy years late: stability capped at 36500', [[E, 0], [E, 3000], [E, 20000], [E, 36500], [E, 36500], [G, 36500]]),
  run('again on a capped card after a century', [[E, 0], [E, 3000], [E, 20000], [E, 36500], [A, 36500], [G, 1]]),
  run('maximum interval 365', [[E, 0], ...rep(8, [E, due]), [G, 400], [H, 365]], { maxInterval: 365 }),
  run('maximum interval 30 at 80% retention', [[G, 0], ...rep(8, [G, due]), [E, 30]], { retention: 0.8, maxInterval: 30 }),
  run('95% retention', [[G, 0], ...rep(6, [G, due]), [A, due], [G, 1], [G, due], [E, due]], { retention: 0.95 }),
  run('again twelve times on one day: the 0.001-day floor', [[A, 0], ...rep(11, [A, 0])]),
  run('at the floor, then back with good', [[A, 0], ...rep(11, [A, 0]), [G, 1], [G, due], [G, due], [H, 0], [E, due]]),
  run('at the floor, then hard a year later', [[A, 0], ...rep(11, [A, 0]), [H, 365], [A, 0], [H, 0]]),
  run('lapse after long overdue', [[G, 0], [G, 2], [G, due], [A, 3000], [G, 1], [G, due]]),
  run('again and good on alternate days', [[A, 0], ...rep(6, [G, 1]).flatMap((g) => [g, [A, 1]])]),
  run('difficulty towards 10: again on every due date', [[A, 0], ...rep(12, [A, due])]),
  run('difficulty to 1: easy daily', [[E, 0], ...rep(10, [E, 1])]),
  run('each rating on the same day from a young card: again', [[G, 0], [G, due], [A, 0]]),
  run('each rating on the same day from a young card: hard', [[G, 0], [G, due], [H, 0]]),
  run('each rating on the same day from a young card: good', [[G, 0], [G, due], [G, 0]]),
  run('each rating on the same day from a young card: easy', [[G, 0], [G, due], [E, 0]]),
  run('same-day hard below one day of stability', [[A, 0], [H, 0], [H, 0], [A, 0], [H, 0], [G, 0], [H, 1]]),
  run('first rating hard, then the same day', [[H, 0], [A, 0], [G, 0], [H, 0], [E, 0], [G, 1]]),
  run('first rating easy, hard when overdue', [[E, 0], [H, overdue(3)], [H, overdue(3)], [G, overdue(0.5)], [A, 0], [H, 0]]),
  run('hard, lapses and same-day hards on a mature card',
    [[G, 0], ...rep(6, [G, due]), [A, due], [H, 0], [H, 0], [G, 1], [H, due], [H, 0], [A, 400], [H, 0]]),
  run('reviews early', [[G, 0], [G, 1], [G, 1], [E, 2], [H, 3], [G, 1], [A, 1], [G, 1]]),
];

// Pseudo-random sequences: mulberry32 with a fixed seed, so the table is the
// same on every run.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(15);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
for (let n = 1; n <= 16; n++) {
  const len = 8 + Math.floor(rand() * 18);
  const steps = [[pick([A, H, G, E]), 0]];
  for (let i = 1; i < len; i++) {
    // Ratings weighted towards Good; a third of the gaps on the same day,
    // the rest early, due, late or years late.
    const rating = pick([A, H, H, G, G, G, G, E]);
    const kind = rand();
    let gap;
    if (kind < 0.3) gap = 0;
    else if (kind < 0.5) gap = 1 + Math.floor(rand() * 10);
    else if (kind < 0.8) gap = overdue(0.5 + rand() * 1.5);
    else if (kind < 0.95) gap = overdue(2 + rand() * 8);
    else gap = 365 + Math.floor(rand() * 5000);
    steps.push([rating, gap]);
  }
  const opts = n % 4 === 0 ? { maxInterval: 180 + Math.floor(rand() * 1000) } : {};
  sequences.push(run(`random ${n}`, steps, opts));
}

// One step a line, so that a diff of a regenerated table reads step by step.
const lines = [
  '{',
  ` "generator": ${JSON.stringify('node fsrs/testdata/gen-reference.mjs DIR (see the script)')},`,
  ` "reference": ${JSON.stringify(`ts-fsrs ${ts.FSRSVersion}`)},`,
  ` "w": ${JSON.stringify(W)},`,
  ' "sequences": [',
];
sequences.forEach((q, i) => {
  lines.push(`  {"name": ${JSON.stringify(q.name)}, "retention": ${q.retention}, "max_interval": ${q.max_interval}, "steps": [`);
  q.steps.forEach((st, j) => lines.push('   ' + JSON.stringify(st) + (j < q.steps.length - 1 ? ',' : '')));
  lines.push('  ]}' + (i < sequences.length - 1 ? ',' : ''));
});
lines.push(' ]', '}');
const text = lines.join('\n') + '\n';
JSON.parse(text); // fail here rather than in the Go test
process.stdout.write(text);
