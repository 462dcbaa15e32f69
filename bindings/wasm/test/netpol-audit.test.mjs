// NetworkPolicy probes and audit policies through the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditLevel, evaluateNetworkPolicy, lintAuditPolicy } from '@palisade/wasm';

const pod = (name, labels, ip) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels }, status: { podIP: ip },
});

test('a default-deny ingress policy isolates the pods it selects', () => {
  const r = evaluateNetworkPolicy({
    namespaces: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }],
    pods: [pod('web', { app: 'web' }, '10.0.0.1'), pod('db', { app: 'db' }, '10.0.0.2')],
    policies: [{
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db-ingress', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }],
      },
    }],
    probes: [
      { from: 'shop/web', to: 'shop/db', port: 5432 },
      { from: 'shop/web', to: 'shop/db', port: 80 },
      { from: 'shop/db', to: 'shop/web', port: 80 },
      { from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'UDP' },
    ],
  });
  assert.deepEqual(r.results.map((x) => x.allowed), [true, false, true, false]);
  assert.deepEqual(r.results[1].explanation.ingress.isolating, ['shop/db-ingress']);
  assert.throws(() => evaluateNetworkPolicy({ probes: [{ from: 'shop/a', to: 'shop/b', port: 0 }] }), {
    code: 'request_error', path: ['probes', 0, 'from'],
  });
});

const policy = {
  apiVersion: 'audit.k8s.io/v1', kind: 'Policy', omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', users: ['system:kube-proxy'] },
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets'] }] },
    { level: 'RequestResponse', verbs: ['create', 'update'] },
    { level: 'RequestResponse', resources: [{ group: '', resources: ['configmaps'] }] },
  ],
};

test('audit level: the first matching rule decides', () => {
  const at = (request) => auditLevel({ policy, request });
  assert.deepEqual(at({ user: { username: 'alice' }, verb: 'create', resource: 'secrets' }), {
    level: 'Metadata', omitStages: ['RequestReceived'], omitManagedFields: false, matchedRule: 1,
  });
  assert.equal(at({ user: { username: 'alice' }, verb: 'create', resource: 'pods' }).level, 'RequestResponse');
  assert.equal(at({ user: { username: 'system:kube-proxy' }, verb: 'watch', resource: 'endpoints' }).level, 'None');
  // No rule matches: None, and no rule index.
  assert.deepEqual(at({ user: { username: 'alice' }, verb: 'get', resource: 'pods' }).matchedRule, null);
  assert.throws(() => auditLevel({ policy, request: {} }), { code: 'request_error', path: ['request', 'verb'] });
});

test('invalid policies answer upstream validation errors; lint finds shadowed rules and secrets', () => {
  const bad = auditLevel({ policy: { ...policy, rules: [{ level: 'Loud' }] }, request: { verb: 'get' } });
  assert.match(bad.policyError, /rules\[0\]\.level: Unsupported value: "Loud"/);
  assert.equal(bad.policyErrors[0].field, 'rules[0].level');
  const lint = lintAuditPolicy(policy);
  // Rule 3 (configmaps) never applies to create/update, which rule 2 takes first...
  assert.ok(lint.findings.length > 0);
  assert.ok(lint.findings.every((f) => ['low', 'medium', 'high'].includes(f.severity) && /^AUD\d{3}$/.test(f.id)));
  assert.ok(lint.findings.some((f) => f.rule === 3 && f.id === 'AUD004'), JSON.stringify(lint));
  assert.ok(lintAuditPolicy({ ...policy, rules: [{ level: 'Loud' }] }).policyError);
  assert.throws(() => lintAuditPolicy('x'), { code: 'request_error' });
});
