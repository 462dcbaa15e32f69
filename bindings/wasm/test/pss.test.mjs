// Pod Security Standards through the package: upstream texts, order and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePod, evaluatePodJson, podSecurityPolicy } from '@palisade/wasm';

const hostNetworkPod = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' },
  spec: { hostNetwork: true, containers: [{ name: 'web', image: 'nginx' }] },
};

test('a hostNetwork pod fails baseline with the upstream texts', () => {
  const r = evaluatePod({ level: 'baseline', version: 'latest', pod: hostNetworkPod });
  assert.equal(r.allowed, false);
  assert.equal(r.levelVersion, 'baseline:latest');
  assert.equal(r.forbiddenReason, 'host namespaces');
  assert.equal(r.forbiddenDetail, 'host namespaces (hostNetwork=true)');
  assert.equal(r.message, 'violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)');
  assert.equal(r.warning, 'would violate PodSecurity "baseline:latest": host namespaces (hostNetwork=true)');
  assert.equal(
    r.admissionMessage,
    'pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)',
  );
  // Baseline runs the 12 baseline checks, sorted by ID as upstream registers them.
  assert.deepEqual(r.results.map((c) => c.check), [
    'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'hostPorts',
    'hostProbesAndHostLifecycle', 'privileged', 'procMount', 'seLinuxOptions',
    'seccompProfile_baseline', 'sysctls', 'windowsHostProcess',
  ]);
  assert.deepEqual(r.results.filter((c) => !c.allowed).map((c) => c.check), ['hostNamespaces']);
});

test('restricted lists every failing check in upstream order', () => {
  const pod = { spec: { containers: [{ name: 'app', image: 'app' }] } };
  const r = evaluatePod({ level: 'restricted', version: 'latest', pod });
  assert.equal(r.allowed, false);
  assert.equal(
    r.forbiddenDetail,
    'allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), ' +
      'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
  assert.equal(r.forbiddenReason, 'allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile');
});

test('workloads are evaluated through their pod template, without an admission message', () => {
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
    spec: { template: { spec: { hostPID: true, containers: [{ name: 'c' }] } } },
  };
  const r = evaluatePod({ level: 'baseline', version: 'v1.30', object: deployment });
  assert.equal(r.allowed, false);
  assert.equal(r.forbiddenDetail, 'host namespaces (hostPID=true)');
  assert.equal(r.admissionMessage, undefined);
  // Privileged runs no checks at all.
  assert.deepEqual(evaluatePod({ level: 'privileged', version: 'latest', object: deployment }), {
    allowed: true, levelVersion: 'privileged:latest', results: [],
  });
});

test('namespace labels select the enforced level; invalid labels fail closed', () => {
  const r = evaluatePod({
    pod: hostNetworkPod,
    namespaceLabels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.29' },
  });
  assert.equal(r.levelVersion, 'baseline:v1.29');
  assert.equal(r.allowed, false);
  // Upstream defaults warn to the enforce level when only enforce is labelled.
  assert.deepEqual(r.policy, { enforce: 'baseline:v1.29', audit: 'privileged:latest', warn: 'baseline:v1.29' });
  const p = podSecurityPolicy({ 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn': 'baseline' });
  assert.equal(p.enforce, 'restricted:latest');
  assert.equal(p.warn, 'baseline:latest');
  assert.deepEqual(p.errors, [
    'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
  ]);
  assert.deepEqual(podSecurityPolicy({}), { enforce: 'privileged:latest', audit: 'privileged:latest', warn: 'privileged:latest' });
});

test('kubernetesVersion caps latest: a sysctl allowed from policy v1.37 only', () => {
  const pod = { spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }] }, containers: [] } };
  assert.equal(evaluatePod({ level: 'baseline', version: 'latest', pod }).allowed, true);
  const old = evaluatePod({ level: 'baseline', version: 'latest', kubernetesVersion: '1.36', pod });
  assert.equal(old.forbiddenDetail, 'forbidden sysctls (net.ipv4.tcp_notsent_lowat)');
});

test('the JSON text variant answers the same', () => {
  const request = { level: 'baseline', version: 'latest', pod: hostNetworkPod };
  assert.deepEqual(JSON.parse(evaluatePodJson(JSON.stringify(request))), evaluatePod(request));
});

test('bad requests throw errors with a code and a path', () => {
  assert.throws(() => evaluatePod({ level: 'strict', version: 'latest', pod: {} }), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'request_error');
    assert.equal(e.message, 'invalid level `strict`: must be one of privileged, baseline, restricted');
    return true;
  });
  assert.throws(() => evaluatePod({ level: 'baseline', pod: {} }), { code: 'request_error', message: 'missing field `version`', path: ['version'] });
  assert.throws(
    () => evaluatePod({ level: 'baseline', version: 'latest', pod: { spec: { hostPID: 1 } } }),
    { code: 'request_error', path: ['pod', 'spec', 'hostPID'], message: 'invalid Pod: spec.hostPID: invalid type: integer `1`, expected a boolean' },
  );
  assert.throws(() => evaluatePodJson('{"level": '), (e) => {
    assert.equal(e.code, 'invalid_input');
    assert.deepEqual(e.position, { line: 1, column: 10 });
    return true;
  });
  assert.throws(() => podSecurityPolicy({ 'pod-security.kubernetes.io/enforce': 1 }), {
    code: 'request_error', path: ['namespaceLabels', 'pod-security.kubernetes.io/enforce'],
  });
});
