// Manifest loading, the protocol entry points and the CommonJS entry point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CelProgram, handle, handleJson, loadManifests, version } from '@palisade/wasm';

test('version', () => {
  const v = version();
  assert.equal(v.palisade, '0.1.0');
  assert.equal(v.kubernetesVersion, '1.37');
  assert.equal(v.pssChecks.length, 19);
});

test('loadManifests reads YAML as Kubernetes does', () => {
  const objects = loadManifests(`
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data: {mode: 0644}
---
# only a comment: skipped
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Secret, metadata: {name: s}}
- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {volumes: [{name: v, configMap: {name: a, defaultMode: 0644}}]}}
`);
  assert.deepEqual(objects.map((o) => o.kind), ['ConfigMap', 'Secret', 'Pod']);
  // YAML 1.1: a leading 0 is octal in an unquoted number.
  assert.equal(objects[2].spec.volumes[0].configMap.defaultMode, 420);
  assert.deepEqual(loadManifests('{"kind": "Pod"} {"kind": "Service"}').map((o) => o.kind), ['Pod', 'Service']);
  assert.deepEqual(loadManifests(''), []);
});

test('loadManifests errors carry the line and column', () => {
  assert.throws(() => loadManifests('kind: Pod\nmetadata:\n  name: [x\n'), (e) => {
    assert.equal(e.code, 'invalid_input');
    assert.ok(e.position.line >= 3, JSON.stringify(e.position));
    assert.equal(e.document, 0);
    return true;
  });
  assert.throws(() => loadManifests('- a\n- b\n'), { code: 'invalid_input' });
});

test('handle and handleJson speak the JSONL protocol', () => {
  assert.deepEqual(handle({ op: 'version', id: 7 }).id, 7);
  assert.equal(handle({ op: 'nope' }).requestError, 'unknown op `nope`: expected one of version, pss, audit, cel, vap, rbac, netpol');
  assert.match(JSON.parse(handleJson('{not json')).requestError, /^invalid JSON/);
  const r = JSON.parse(handleJson('{"op":"cel","expr":"1u"}'));
  assert.deepEqual(r, { value: 1, type: 'uint', cost: 0 });
});

test('require() loads the CommonJS build of the same package', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('@palisade/wasm');
  assert.equal(cjs.version().palisade, '0.1.0');
  assert.equal(cjs.evaluatePod({ level: 'baseline', version: 'latest', pod: { spec: { hostIPC: true } } }).forbiddenDetail, 'host namespaces (hostIPC=true)');
  assert.throws(() => cjs.loadManifests('a: ['), (e) => e instanceof Error && e.code === 'invalid_input');
  // import and require share one instance: one copy of the module in memory, one set of classes.
  assert.equal(cjs.CelProgram, CelProgram);
});
