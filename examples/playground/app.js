// The playground: every panel re-evaluates as you type, with the package's browser build.
import init, {
  CelProgram, RbacCluster, evaluatePod, loadManifests, runAdmissionTests, version,
} from '../../bindings/wasm/pkg/web.js';

const $ = (id) => document.getElementById(id);

const SAMPLES = {
  pod: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  hostNetwork: true
  containers:
  - name: web
    image: nginx:1.27
    securityContext:
      capabilities:
        add: [NET_ADMIN]
`,
  celExpr: "object.spec.replicas <= 5 && object.metadata.labels['team'] == 'web'",
  celObject: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {team: web}
spec:
  replicas: 3
`,
  policy: `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]
  validations:
  - expression: object.spec.replicas <= 5
    message: replicas must be no greater than 5
`,
  vapObject: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 10
`,
  dump: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: web}
rules:
- apiGroups: [""]
  resources: [secrets]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: devs-read-secrets, namespace: web}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects:
- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: web-devs}
- {kind: ServiceAccount, name: deployer, namespace: ci}
`,
};

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** Shows a verdict line and details in an output box. */
function show(box, kind, verdict, ...details) {
  box.className = `output ${kind}`;
  box.replaceChildren(el('div', { class: 'verdict' }, verdict), ...details);
}

/** An error thrown by the package, with its position or path. */
function showError(box, e) {
  const where = e.position ? ` at line ${e.position.line}, column ${e.position.column}`
    : e.path ? ` at ${e.path.join('.')}` : '';
  show(box, 'bad', `${e.code ?? 'error'}${where}`, el('pre', { class: 'mono' }, e.message));
}

/** The one object of a YAML/JSON text. */
function one(text) {
  const objects = loadManifests(text);
  if (objects.length !== 1) throw Object.assign(new Error(`expected one object, found ${objects.length}`), { code: 'invalid_input' });
  return objects[0];
}

function pss() {
  const box = $('pss-output');
  try {
    const object = one($('pss-input').value);
    const request = { level: $('pss-level').value, version: $('pss-version').value };
    request[!object.kind || object.kind === 'Pod' ? 'pod' : 'object'] = object;
    const r = evaluatePod(request);
    const failing = r.results.filter((c) => !c.allowed);
    if (r.allowed) {
      show(box, 'ok', `Allowed at ${r.levelVersion}`, el('div', { class: 'muted' }, `${r.results.length} checks ran, all passed.`));
    } else {
      show(box, 'bad', `Denied at ${r.levelVersion}`,
        el('ul', {}, ...failing.map((c) => el('li', {}, el('code', {}, c.check), ': ',
          c.forbiddenDetail ? `${c.forbiddenReason} (${c.forbiddenDetail})` : c.forbiddenReason))),
        el('pre', { class: 'mono' }, r.admissionMessage ?? r.message));
    }
  } catch (e) {
    showError(box, e);
  }
}

function cel() {
  const box = $('cel-output');
  let program;
  try {
    program = new CelProgram($('cel-expr').value);
  } catch (e) {
    showError(box, e);
    return;
  }
  try {
    const text = $('cel-object').value.trim();
    const r = program.evaluate({ object: text ? one(text) : null });
    if ('error' in r) {
      show(box, 'warn', 'Runtime error', el('pre', { class: 'mono' }, r.error), el('div', { class: 'muted' }, `cost ${r.cost}`));
    } else {
      show(box, r.value === false ? 'warn' : 'ok', el('span', { class: 'mono' }, JSON.stringify(r.value)),
        el('div', {}, 'type', el('span', { class: 'pill', 'data-field': 'type' }, r.type),
          ' cost', el('span', { class: 'pill', 'data-field': 'cost' }, String(r.cost))));
    }
  } catch (e) {
    showError(box, e);
  } finally {
    program.free();
  }
}

function vap() {
  const box = $('vap-output');
  try {
    const resources = loadManifests($('vap-policy').value);
    const policies = resources.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    const bound = new Set(resources.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding').map((b) => b.spec?.policyName));
    for (const p of policies) {
      if (!bound.has(p.metadata?.name)) {
        resources.push({
          apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding',
          metadata: { name: p.metadata?.name }, spec: { policyName: p.metadata?.name, validationActions: ['Deny'] },
        });
      }
    }
    const run = runAdmissionTests({
      kind: 'AdmissionTest', resources, // Only the response is shown; the expectation is a placeholder.
      cases: [{ name: 'create', object: one($('vap-object').value), expect: { allowed: true } }],
    });
    const r = run.suites[0].cases[0].response;
    const warnings = r.warnings.map((w) => el('li', {}, w));
    if (r.allowed) {
      show(box, warnings.length ? 'warn' : 'ok', warnings.length ? 'Allowed, with warnings' : 'Allowed', el('ul', {}, ...warnings));
    } else {
      show(box, 'bad', `Denied: ${r.status.code} ${r.status.reason}`, el('pre', { class: 'mono' }, r.status.message), el('ul', {}, ...warnings));
    }
  } catch (e) {
    showError(box, e);
  }
}

function rbac() {
  const box = $('rbac-output');
  let cluster;
  try {
    cluster = new RbacCluster($('rbac-dump').value);
    const query = { verb: $('rbac-verb').value, resource: $('rbac-resource').value, namespace: $('rbac-namespace').value };
    const who = cluster.whoCan(query);
    const scope = query.namespace ? ` in namespace ${query.namespace}` : ' cluster-wide';
    show(box, 'ok', `${who.granted.length} subjects can ${query.verb} ${query.resource}${scope}`,
      el('ul', {}, ...who.granted.map((g) => el('li', {},
        el('code', {}, `${g.subject.kind} ${g.subject.namespace ? `${g.subject.namespace}/` : ''}${g.subject.name}`),
        el('span', { class: 'muted' }, ` ${g.grant}`)))),
      ...(who.evaluationError ? [el('pre', { class: 'mono' }, who.evaluationError)] : []));
  } catch (e) {
    showError(box, e);
  } finally {
    cluster?.free();
  }
}

/** Runs `f` after each input, at most once per animation frame. */
function live(f, ...ids) {
  let queued = false;
  const run = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      f();
    });
  };
  for (const id of ids) {
    $(id).addEventListener('input', run);
    $(id).addEventListener('change', run);
  }
  f();
}

await init();
const info = version();
$('version').textContent = `palisade ${info.palisade}, Kubernetes ${info.kubernetesVersion}.`;
const newest = Number(info.kubernetesVersion.split('.')[1]);
$('pss-version').append(el('option', {}, 'latest'), ...Array.from({ length: newest + 1 }, (_, i) => el('option', {}, `v1.${newest - i}`)));
$('pss-input').value = SAMPLES.pod;
$('cel-expr').value = SAMPLES.celExpr;
$('cel-object').value = SAMPLES.celObject;
$('vap-policy').value = SAMPLES.policy;
$('vap-object').value = SAMPLES.vapObject;
$('rbac-dump').value = SAMPLES.dump;
live(pss, 'pss-input', 'pss-level', 'pss-version');
live(cel, 'cel-expr', 'cel-object');
live(vap, 'vap-policy', 'vap-object');
live(rbac, 'rbac-dump', 'rbac-verb', 'rbac-resource', 'rbac-namespace');
document.body.dataset.ready = 'true';
