// RBAC through the package: a dump loaded once, queried with the authorizer's exact texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RbacCluster } from '@palisade/wasm';

const dump = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: web}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list]}
- {apiGroups: [""], resources: [pods/exec], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-debug, namespace: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: debugger}
subjects:
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: devs}
- {kind: ServiceAccount, name: ci, namespace: build}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
- {apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: grafana-secrets}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
subjects:
- {kind: ServiceAccount, name: grafana, namespace: monitoring}
`;

test('canI answers with the authorizer reason and the rules review', () => {
  const c = new RbacCluster(dump);
  const d = c.canI({ user: 'bob', groups: ['devs'], verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'web' });
  assert.equal(d.allowed, true);
  assert.equal(d.decision, 'Allow');
  assert.equal(d.reason, 'RBAC: allowed by RoleBinding "devs-debug/web" of Role "debugger" to Group "devs"');
  assert.deepEqual(d.rules.resourceRules, [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] },
  ]);
  // RBAC never denies: it has no opinion, with an empty reason.
  const no = c.canI({ user: 'bob', groups: ['devs'], verb: 'delete', resource: 'pods', namespace: 'web' });
  assert.deepEqual([no.allowed, no.decision, no.reason], [false, 'NoOpinion', '']);
  const sa = c.canI({ user: 'system:serviceaccount:monitoring:grafana', verb: 'list', resource: 'secrets', namespace: 'payments' });
  assert.equal(sa.reason, 'RBAC: allowed by ClusterRoleBinding "grafana-secrets" of ClusterRole "secret-reader" to ServiceAccount "grafana/monitoring"');
});

test('whoCan lists system:masters first, then the bindings in upstream order', () => {
  const c = new RbacCluster(dump);
  const who = c.whoCan({ verb: 'get', resource: 'pods', namespace: 'web' });
  assert.deepEqual(who.subjects, [
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' },
    { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
    { kind: 'ServiceAccount', name: 'ci', namespace: 'build' },
  ]);
  assert.equal(who.granted[0].grant, "the API server's privileged group (bypasses RBAC)");
  assert.match(who.granted[1].grant, /devs-debug/);
  assert.equal(who.evaluationError, null);
});

test('rules splits cluster-wide and namespaced grants; analyze finds risky ones', () => {
  const objects = [];
  const c = new RbacCluster(dump);
  const rules = c.rules({ user: 'system:serviceaccount:monitoring:grafana', groups: ['system:serviceaccounts'], namespace: 'web' });
  assert.deepEqual(rules.cluster.map((r) => r.rule), [{ verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['secrets'] }]);
  assert.deepEqual(rules.namespace, []);
  const { findings } = c.analyze();
  const secrets = findings.find((f) => f.subject.name === 'grafana');
  assert.equal(secrets.id, 'RBAC-R001');
  assert.equal(secrets.severity, 'critical'); // cluster-wide secret read
  assert.equal(secrets.namespace, '');
  assert.ok(findings.some((f) => f.subject.name === 'devs' && f.namespace === 'web'));
  assert.equal(objects.length, 0);
});

test('a dump as an array of objects; errors', () => {
  const c = new RbacCluster([
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'admins' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'sre' }] },
  ]);
  // cluster-admin is not in the dump: the binding grants nothing, and the reason says why.
  const d = c.canI({ user: 'x', groups: ['sre'], verb: 'get', resource: 'pods' });
  assert.equal(d.allowed, false);
  assert.equal(d.reason, 'RBAC: clusterrole.rbac.authorization.k8s.io "cluster-admin" not found');
  assert.throws(() => new RbacCluster('kind: [\n'), (e) => e.code === 'invalid_input' && e.position.line === 1);
  assert.throws(() => c.canI({ user: 'x' }), { code: 'request_error', message: 'missing field `request.verb`', path: ['request', 'verb'] });
  assert.throws(() => c.analyze({ includeSystem: 'yes' }), { code: 'request_error', path: ['includeSystem'] });
});
