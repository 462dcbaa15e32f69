// examples/node/check-pss.mjs on the sample cluster dump: one verdict per pod and workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));

test('check-pss.mjs prints a verdict per object at its namespace level', () => {
  const run = spawnSync(process.execPath, ['node/check-pss.mjs', 'cluster'], { cwd: examples, encoding: 'utf8' });
  assert.equal(run.stderr, '');
  // Something is denied: exit status 1.
  assert.equal(run.status, 1);
  const lines = run.stdout.trim().split('\n');
  const verdict = (id) => lines.find((l) => l.startsWith(`${id}: `));
  // web enforces baseline; a hostNetwork Windows HostProcess pod fails two baseline checks.
  assert.equal(
    verdict('web/Pod/iis-log-forwarder'),
    'web/Pod/iis-log-forwarder: DENIED (baseline:latest): host namespaces (hostNetwork=true), hostProcess (pod must not set securityContext.windowsOptions.hostProcess=true)',
  );
  // payments pins restricted at v1.30; a pod running as root fails runAsNonRoot and runAsUser.
  assert.equal(
    verdict('payments/Pod/receipt-renderer'),
    'payments/Pod/receipt-renderer: DENIED (restricted:v1.30): runAsNonRoot != true (pod or container "renderer" must set securityContext.runAsNonRoot=true), runAsUser=0 (pod must not set runAsUser=0)',
  );
  // kube-system is privileged: everything is allowed there.
  assert.equal(verdict('kube-system/Pod/etcd-cp-eu1-a'), 'kube-system/Pod/etcd-cp-eu1-a: allowed (privileged:latest)');
  // analytics has an invalid enforce label ("strict"): upstream enforces restricted:latest.
  assert.match(verdict('analytics/Deployment/notebook'), /^analytics\/Deployment\/notebook: DENIED \(restricted:latest\): /);
  assert.equal(lines.at(-1), `${lines.filter((l) => l.includes(': DENIED (')).length} denied`);
});

test('check-pss.mjs reports unreadable manifests with their position', () => {
  const run = spawnSync(process.execPath, ['node/check-pss.mjs'], { cwd: examples, encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /^usage: check-pss\.mjs DIR/);
});
