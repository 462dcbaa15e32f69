// ValidatingAdmissionPolicy through the package: requests and AdmissionTest suites from text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAdmission, evaluateAdmissionJson, runAdmissionTests } from '@palisade/wasm';

const policy = {
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'max-replicas' },
  spec: {
    matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
    validations: [{ expression: 'object.spec.replicas <= 5', message: 'replicas must be no greater than 5' }],
  },
};
const binding = (actions) => ({
  apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'max-replicas-binding' },
  spec: { policyName: 'max-replicas', validationActions: actions },
});
const request = (replicas) => ({
  operation: 'CREATE', namespace: 'default', name: 'web',
  kind: { group: 'apps', version: 'v1', kind: 'Deployment' },
  resource: { group: 'apps', version: 'v1', resource: 'deployments' },
  userInfo: { username: 'alice' },
  object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas } },
});
const state = (actions, replicas) => ({
  policies: [policy], bindings: [binding(actions)], namespaces: [{ metadata: { name: 'default' } }], request: request(replicas),
});

test('a denied request gets the API server status: 422 Invalid and its message', () => {
  const r = evaluateAdmission(state(['Deny'], 10));
  assert.equal(r.allowed, false);
  assert.equal(r.status.code, 422);
  assert.equal(r.status.reason, 'Invalid');
  assert.equal(
    r.status.message,
    "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: replicas must be no greater than 5",
  );
  // The Status details name the resource (as its GroupKind, with the resource as kind).
  assert.deepEqual({ ...r.status.details, causes: undefined }, { name: 'web', group: 'apps', kind: 'deployments', causes: undefined });
  assert.deepEqual(evaluateAdmission(state(['Deny'], 3)), { allowed: true, warnings: [], auditAnnotations: {} });
});

test('Warn turns the failure into a warning', () => {
  const r = evaluateAdmission(state(['Warn'], 10));
  assert.equal(r.allowed, true);
  assert.deepEqual(r.warnings, [
    "Validation failed for ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding': replicas must be no greater than 5",
  ]);
  assert.deepEqual(JSON.parse(evaluateAdmissionJson(JSON.stringify(state(['Warn'], 10)))), r);
});

test('bad requests throw', () => {
  assert.throws(() => evaluateAdmission({ policies: [] }), { code: 'request_error', message: 'missing field `request`', path: ['request'] });
  assert.throws(() => evaluateAdmission('nope'), { code: 'request_error', message: 'request must be a JSON object' });
});

const suite = `
apiVersion: palisade.dev/v1alpha1
kind: AdmissionTest
name: replicas
resources: [policy.yaml]
cases:
- name: three replicas are fine
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: small, namespace: default}, spec: {replicas: 3}}
  expect: {allowed: true}
- name: ten replicas are denied
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: big, namespace: default}, spec: {replicas: 10}}
  expect:
    allowed: false
    code: 422
    reason: Invalid
    messageContains: [replicas must be no greater than 5]
- name: this expectation is wrong
  object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: big, namespace: default}, spec: {replicas: 10}}
  expect: {allowed: true}
`;
const files = { 'policy.yaml': `${JSON.stringify(policy)}\n---\n${JSON.stringify(binding(['Deny']))}\n` };

test('AdmissionTest suites run from text with their resource files', () => {
  const run = runAdmissionTests(suite, files);
  assert.equal(run.passed, 2);
  assert.equal(run.failed, 1);
  const [s] = run.suites;
  assert.equal(s.name, 'replicas');
  assert.deepEqual(s.cases.map((c) => c.passed), [true, true, false]);
  assert.deepEqual(s.cases[2].mismatches.map((m) => m.field), ['allowed']);
  assert.equal(
    s.cases[1].response.status.message,
    "deployments.apps \"big\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: replicas must be no greater than 5",
  );
  // A suite given as an object, resources inline.
  const inline = runAdmissionTests({
    kind: 'AdmissionTest', resources: [policy, binding(['Deny'])],
    cases: [{ name: 'x', object: request(6).object, expect: { allowed: false } }],
  });
  assert.deepEqual([inline.passed, inline.failed], [1, 0]);
});

test('suite errors: missing files, bad YAML, no suite', () => {
  assert.throws(() => runAdmissionTests(suite, {}), {
    code: 'invalid_input', path: ['resources', 0], message: 'resource file `policy.yaml` is not among the files given',
  });
  assert.throws(() => runAdmissionTests(suite, { 'policy.yaml': 'kind: [\n' }), (e) => {
    assert.equal(e.code, 'invalid_input');
    assert.match(e.message, /policy\.yaml/);
    assert.equal(e.position.line, 1);
    return true;
  });
  assert.throws(() => runAdmissionTests('kind: Pod'), { code: 'invalid_input', message: 'no test suites (kind: AdmissionTest) found' });
});
