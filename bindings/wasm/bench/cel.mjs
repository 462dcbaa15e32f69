// CEL per request through the package vs @marcbachmann/cel-js, in one Node process: the ten
// ValidatingAdmissionPolicy expressions of benches/benches/cel.rs over the same 4 KB
// Deployment, compiled (parsed) once, then per request: bind the object + evaluate all ten.
// Also Pod Security evaluation per pod. Run after build.sh: `node bench/cel.mjs`.
import { readFileSync } from 'node:fs';
import { Environment } from '@marcbachmann/cel-js';
import * as palisade from '@palisade/wasm';

const root = new URL('../../../', import.meta.url);

// The expressions, read from the Rust benchmarks' shared fixtures (one source of truth).
const lib = readFileSync(new URL('benches/src/lib.rs', root), 'utf8');
const block = lib.slice(lib.indexOf('pub const VAP_EXPRESSIONS'));
const expressions = block
  .slice(0, block.indexOf('];'))
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l.startsWith('"'))
  .map((l) => JSON.parse(l.replace(/,$/, '')));
if (expressions.length !== 10) throw new Error(`expected 10 expressions, read ${expressions.length}`);

// The Deployment of `palisade_benches::deployment()`.
const pod = JSON.parse(readFileSync(new URL('benches/fixtures/restricted-pod.json', root), 'utf8'));
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'checkout', namespace: 'payments', labels: pod.metadata.labels,
    annotations: pod.metadata.annotations, generation: 7, uid: '3f1c2a8e-3b1d-4c7a-9e2f-8d6b4a1c0e11',
  },
  spec: {
    replicas: 3,
    revisionHistoryLimit: 10,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: { metadata: { labels: pod.metadata.labels }, spec: pod.spec },
  },
};
const deploymentJson = JSON.stringify(deployment);

/** Microseconds per call of `f`, the best of five rounds after a warm-up. */
function measure(f, minMs = 400) {
  let n = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < n; i++) f();
    if (performance.now() - t > 50) break;
    n *= 2;
  }
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    let calls = 0;
    const t = performance.now();
    while (performance.now() - t < minMs / 5) {
      for (let i = 0; i < n; i++) f();
      calls += n;
    }
    rounds.push(((performance.now() - t) * 1000) / calls);
  }
  return Math.min(...rounds);
}

const programs = expressions.map((e) => new palisade.CelProgram(e));
const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });
const jsPrograms = [];
expressions.forEach((e, i) => {
  try {
    const f = env.parse(e);
    if (f({ object: deployment }) === true) jsPrograms.push([i, f]);
    else console.log(`cel-js: #${i} does not evaluate to true; left out`);
  } catch (err) {
    console.log(`cel-js: #${i} fails (${String(err.message).split('\n')[0]}); left out`);
  }
});
for (const [i, p] of programs.entries()) {
  const r = p.evaluate({ object: deployment });
  if (r.value !== true) throw new Error(`palisade: #${i} gave ${JSON.stringify(r)}`);
}
const same = jsPrograms.map(([i]) => programs[i]);


const set = new palisade.CelPrograms(expressions);
const sameSet = new palisade.CelPrograms(jsPrograms.map(([i]) => expressions[i]));
const jsRequest = () => {
  const ctx = { object: deployment };
  for (const [, f] of jsPrograms) f(ctx);
};
const ours = `palisade, the ${same.length} cel-js runs (CelPrograms.evaluate({object}))`;
const theirs = `cel-js 8.0.0, ${jsPrograms.length} expressions (parsed once)`;
const results = {
  'palisade, all 10 (CelPrograms.evaluate({object}))': measure(() => set.evaluate({ object: deployment })),
  [ours]: measure(() => sameSet.evaluate({ object: deployment })),
  [`palisade, the ${same.length}, object as JSON text (CelPrograms.evaluateJson)`]: measure(() => sameSet.evaluateJson(`{"object":${deploymentJson}}`)),
  [`palisade, the ${same.length}, one CelProgram.evaluateWith each over CelVariables`]: measure(() => {
    const vars = new palisade.CelVariables({ object: deployment });
    for (const p of same) p.evaluateWith(vars);
    vars.free();
  }),
  'palisade, binding alone (new CelVariables({object}) + free)': measure(() => new palisade.CelVariables({ object: deployment }).free()),
  [`palisade, evaluation alone (the ${same.length} over variables bound once)`]: (() => {
    const vars = new palisade.CelVariables({ object: deployment });
    const us = measure(() => sameSet.evaluateWith(vars));
    vars.free();
    return us;
  })(),
  [theirs]: measure(jsRequest),
  [`cel-js, the object as JSON text (JSON.parse per request)`]: measure(() => {
    const ctx = JSON.parse(`{"object":${deploymentJson}}`);
    for (const [, f] of jsPrograms) f(ctx);
  }),
};
const podRequest = { level: 'restricted', version: 'latest', pod };
const podJson = JSON.stringify(podRequest);
results['pss: evaluatePod (restricted, compliant pod)'] = measure(() => palisade.evaluatePod(podRequest));
results['pss: evaluatePodJson (restricted, compliant pod)'] = measure(() => palisade.evaluatePodJson(podJson));

console.log(`node ${process.version}, palisade ${palisade.version().palisade}`);
for (const [name, us] of Object.entries(results)) console.log(`${us.toFixed(2).padStart(9)} µs  ${name}`);
const ratio = results[theirs] / results[ours];
console.log(`per request on the same ${same.length} expressions: palisade ${results[ours].toFixed(1)} µs, cel-js ${results[theirs].toFixed(1)} µs: ` +
  (ratio >= 1 ? `palisade ${ratio.toFixed(2)}x faster` : `palisade ${(1 / ratio).toFixed(2)}x slower`));
