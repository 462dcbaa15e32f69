// Kubernetes CEL through the package: values, CEL types, runtime costs and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CelProgram, CelPrograms, CelVariables, checkCel, evaluateCel } from '@palisade/wasm';

const value = (expr, vars, options) => new CelProgram(expr, options).evaluate(vars);

test('literals keep their CEL types', () => {
  // The API server plans programs with constant folding (cel.OptOptimize): `1 + 1` is a
  // constant by evaluation time and costs nothing.
  assert.deepEqual(value('1 + 1'), { value: 2, type: 'int', cost: 0 });
  assert.deepEqual(value('1u'), { value: 1, type: 'uint', cost: 0 });
  assert.deepEqual(value('2.5'), { value: 2.5, type: 'double', cost: 0 });
  assert.deepEqual(value("b'abc'"), { value: 'YWJj', type: 'bytes', cost: 0 });
  assert.deepEqual(value('null'), { value: null, type: 'null_type', cost: 0 });
  assert.deepEqual(value('duration("1h")'), { value: '3600s', type: 'google.protobuf.Duration', cost: 0 });
});

test('variables are read from the objects, with cel-go costs', () => {
  const p = new CelProgram('object.spec.replicas <= 5');
  assert.deepEqual(p.variables, ['object']);
  // One for the variable, one per field selection, one for the comparison.
  assert.deepEqual(p.evaluate({ object: { spec: { replicas: 3 } } }), { value: true, type: 'bool', cost: 4 });
  assert.equal(p.evaluate({ object: { spec: { replicas: 9 } } }).value, false);
  // JSON integers are int, so `replicas + 1` stays int.
  assert.equal(value('object.spec.replicas + 1', { object: { spec: { replicas: 3 } } }).type, 'int');
  assert.deepEqual(value('[1, 2, 3].map(x, x * 2)').value, [2, 4, 6]);
  assert.equal(value("quantity('1Gi').isLessThan(quantity('2Gi'))").value, true);
  assert.deepEqual(
    { ...value("quantity('1536Mi')"), cost: 0 },
    { value: '1536Mi', type: 'kubernetes.Quantity', cost: 0 },
  );
});

test('request and namespaceObject are the typed AdmissionRequest and Namespace', () => {
  const vars = {
    request: { operation: 'CREATE', userInfo: { username: 'alice' } },
    namespaceObject: { metadata: { name: 'prod', labels: { env: 'prod' } } },
  };
  assert.equal(value("request.operation == 'CREATE' && request.userInfo.username == 'alice'", vars).value, true);
  assert.equal(value("namespaceObject.metadata.labels['env']", vars).value, 'prod');
  // A field left out reads as its zero value where the Go type has no omitempty (`uid`).
  assert.deepEqual(value('request.uid', vars), { value: '', type: 'string', cost: 2 });
});

test('runtime errors are answers, with the cost so far', () => {
  const r = value('object.spec.replicas', { object: { metadata: {} } });
  assert.equal(r.error, 'no such key: spec');
  assert.equal(typeof r.cost, 'number');
  assert.equal(value('object.n / 0', { object: { n: 1 } }).error, 'division by zero');
});

test('variables bound once serve many programs; JSON text works too', () => {
  const programs = ['object.spec.replicas', "object.metadata.name + '!'"].map((e) => new CelProgram(e));
  const vars = new CelVariables({ object: { metadata: { name: 'web' }, spec: { replicas: 2 } } });
  assert.deepEqual(programs.map((p) => p.evaluateWith(vars).value), [2, 'web!']);
  vars.free();
  const fromText = CelVariables.fromJson('{"object": {"spec": {"replicas": 7}}}');
  assert.equal(programs[0].evaluateWith(fromText).value, 7);
  assert.deepEqual(JSON.parse(programs[0].evaluateJson('{"object": {"spec": {"replicas": 8}}}')), { value: 8, type: 'int', cost: 3 });
  assert.throws(() => programs[0].evaluateJson('{'), { code: 'invalid_input' });
  assert.throws(() => new CelVariables([1]), { code: 'request_error' });
});

test('CelPrograms evaluates a set of expressions in one call', () => {
  const set = new CelPrograms(['object.spec.replicas <= 5', "has(object.metadata.labels) && 'app' in object.metadata.labels"]);
  assert.equal(set.length, 2);
  const object = { metadata: { labels: { app: 'web' } }, spec: { replicas: 7 } };
  assert.deepEqual(set.evaluate({ object }), [
    { value: false, type: 'bool', cost: 4 },
    { value: true, type: 'bool', cost: 6 },
  ]);
  assert.deepEqual(JSON.parse(set.evaluateJson(JSON.stringify({ object }))), set.evaluate({ object }));
  const vars = new CelVariables({ object: { metadata: {}, spec: { replicas: 1 } } });
  assert.deepEqual(set.evaluateWith(vars).map((r) => r.value), [true, false]);
  assert.throws(() => new CelPrograms(['1', '2 +']), { code: 'compile_error', path: [1], position: { line: 1, column: 4 } });
});

test('compile errors carry cel-go text, positions and every issue', () => {
  assert.throws(() => new CelProgram('object.spec.replicas <='), (e) => {
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'compile_error');
    assert.deepEqual(e.position, { line: 1, column: 24 });
    assert.match(e.message, /^compilation failed: ERROR: <input>:1:24: Syntax error: mismatched input '<EOF>'/);
    assert.equal(e.issues.length, 1);
    return true;
  });
  // cel-go's checker reports the undeclared operand `foo` at its own position.
  assert.throws(() => new CelProgram('1 + foo.bar'), {
    code: 'compile_error',
    position: { line: 1, column: 5 },
    message: "compilation failed: ERROR: <input>:1:5: undeclared reference to 'foo' (in container '')\n | 1 + foo.bar\n | ....^",
  });
  // Rejected while planning, as the API server's constant folding rejects it.
  assert.throws(() => new CelProgram("int('abc')"), (e) => e.code === 'compile_error' && e.message.startsWith('program instantiation failed: '));
});

test('checkCel gives the deduced type, or the compile errors without throwing', () => {
  assert.deepEqual(checkCel('object.spec.replicas <= 5'), { valid: true, type: 'bool' });
  assert.deepEqual(checkCel("[1, 2].map(x, string(x))"), { valid: true, type: 'list(string)' });
  const typo = checkCel("request.operatoin == 'CREATE'");
  assert.equal(typo.valid, false);
  assert.match(typo.message, /undefined field 'operatoin'/);
  const c = checkCel('1 +\n  (2');
  assert.equal(c.valid, false);
  assert.ok(c.issues.length >= 1);
  assert.equal(c.issues[0].line, 2);
  assert.match(c.message, /^compilation failed: ERROR: <input>:2:/);
  assert.throws(() => checkCel('1', { envType: 'old' }), {
    code: 'request_error', path: ['envType'], message: 'field `envType` must be `stored`, `new` or `spec`, got `old`',
  });
});

test('options: Kubernetes version, environment and authorizer objects', () => {
  assert.throws(() => new CelProgram('1', { kubernetesVersion: '1.26' }), { code: 'request_error' });
  assert.throws(() => new CelProgram('1', { kubernetesVersion: 'latest' }), { code: 'request_error', path: ['kubernetesVersion'] });
  const objects = [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' },
      rules: [{ verbs: ['list'], apiGroups: [''], resources: ['secrets'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' }] },
  ];
  const p = new CelProgram("authorizer.group('').resource('secrets').check('list').allowed()", { authorizerObjects: objects });
  assert.equal(p.evaluate({ request: { userInfo: { username: 'alice' } } }).value, true);
  assert.equal(p.evaluate({ request: { userInfo: { username: 'bob' } } }).value, false);
  assert.equal(value('1u', undefined, { valueFormat: 'cel' }).value.uint64Value, '1');
});

test('evaluateCel is the one-shot protocol op, spec environment included', () => {
  assert.deepEqual(evaluateCel({ expr: 'object.a', vars: { object: { a: 'x' } } }), { value: 'x', type: 'string', cost: 2 });
  assert.match(evaluateCel({ expr: '1 +' }).compileError, /^compilation failed: ERROR: <input>:1:4:/);
  assert.deepEqual(evaluateCel({ expr: "'a,b'.split(',')", envType: 'spec', extensions: ['strings'] }).value, ['a', 'b']);
  assert.throws(() => evaluateCel({ vars: {} }), { code: 'request_error', message: 'missing field `expr`', path: ['expr'] });
});
