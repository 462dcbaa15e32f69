// Type-checked (tsc --noEmit), not run: the package's types in ordinary use.
import {
  CelProgram, CelPrograms, CelVariables, RbacCluster, auditLevel, checkCel, evaluateAdmission, evaluateCel,
  evaluateNetworkPolicy, evaluatePod, lintAuditPolicy, loadManifests, podSecurityPolicy,
  runAdmissionTests, version,
} from '@palisade/wasm';
import type { CelResult, PalisadeError, PssResult, RbacDecision, VapResponse } from '@palisade/wasm';

const v: string = version().kubernetesVersion;

const pss: PssResult = evaluatePod({ level: 'restricted', version: 'latest', pod: { spec: { containers: [] } } });
const failing: string[] = pss.results.filter((r) => !r.allowed).map((r) => r.check);
const enforce: string = podSecurityPolicy({ 'pod-security.kubernetes.io/enforce': 'baseline' }).enforce;

const program = new CelProgram('object.spec.replicas <= 5', { kubernetesVersion: '1.36', envType: 'new' });
const defaults = new CelProgram('1 + 1');
const result: CelResult = program.evaluate({ object: { spec: { replicas: 3 } } });
const described: string = 'error' in result ? result.error : `${JSON.stringify(result.value)}: ${result.type} (cost ${result.cost})`;
const bound = new CelVariables({ object: {} });
const cost: number = program.evaluateWith(bound).cost + defaults.evaluate().cost;
const names: string[] = program.variables;
const set = new CelPrograms(['1', '2'], { envType: 'stored' });
const values: CelResult[] = set.evaluate({ object: {} }).concat(set.evaluateWith(bound));
const count: number = set.length + values.length;
const check = checkCel('1 +');
const firstLine: number | undefined = check.valid ? undefined : check.issues[0]?.line;
const oneShot = evaluateCel({ expr: '1u', envType: 'spec' });
const compileError: string | undefined = 'compileError' in oneShot ? oneShot.compileError : undefined;

const vap: VapResponse = evaluateAdmission({ policies: [], bindings: [], request: { operation: 'CREATE' } });
const message: string | undefined = vap.status?.message;
const run = runAdmissionTests('kind: AdmissionTest', { 'policy.yaml': '' });
const passed: number = run.passed + runAdmissionTests({ kind: 'AdmissionTest', cases: [] }).failed;

const cluster = new RbacCluster(loadManifests('kind: Role'));
const decision: RbacDecision = cluster.canI({ user: 'alice', verb: 'get', resource: 'pods', namespace: 'web' });
const reason: string = decision.reason;
const who: string[] = cluster.whoCan({ verb: 'get', resource: 'secrets' }).subjects.map((s) => s.name);
const critical = cluster.analyze().findings.filter((f) => f.severity === 'critical').length;
const held = cluster.rules({ user: 'alice', namespace: 'web' }).namespace.length;

const allowed: boolean[] = evaluateNetworkPolicy({ probes: [{ from: 'a/b', to: { ip: '10.0.0.1' }, port: 80 }] }).results.map((r) => r.allowed);
const audit = auditLevel({ policy: { kind: 'Policy' }, request: { verb: 'get', user: { username: 'alice' } } });
const level: string = 'level' in audit ? audit.level : audit.policyError;
const lint = lintAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy' });

try {
  new CelProgram('1 +');
} catch (e) {
  const error = e as PalisadeError;
  const where: string = `${error.code} ${error.position?.line}:${error.position?.column} ${error.path?.join('.')}`;
  console.log(where);
}

// @ts-expect-error: level must be one of the three
evaluatePod({ level: 'strict', version: 'latest', pod: {} });
// @ts-expect-error: CelProgram takes an expression
new CelProgram(42);

console.log(count, v, failing, enforce, described, cost, names, firstLine, compileError, message, passed, reason, who, critical, held, allowed, level, lint);
