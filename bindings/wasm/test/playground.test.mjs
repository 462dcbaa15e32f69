// examples/playground in headless Chromium: type into each panel, read the verdicts, and save
// a screenshot (test-output/playground.png).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { browser, serve } from './harness.mjs';

let server;
let chrome;
before(async () => {
  server = await serve();
  chrome = await browser();
  await chrome.page.setViewportSize({ width: 1360, height: 1100 });
  await chrome.page.goto(`${server.url}/examples/playground/index.html`);
  await chrome.page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
});
after(async () => {
  await chrome?.browser.close();
  await server?.close();
});

const text = (selector) => chrome.page.locator(selector).innerText();

test('Pod Security: the verdict follows the pod and the level', async () => {
  const { page } = chrome;
  await page.fill('#pss-input', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  hostNetwork: true\n  containers: [{name: web, image: nginx}]\n');
  await page.waitForFunction(() => document.querySelector('#pss-output .verdict')?.textContent === 'Denied at baseline:latest');
  assert.match(await text('#pss-output'), /hostNamespaces: host namespaces \(hostNetwork=true\)/);
  assert.match(await text('#pss-output'), /pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces \(hostNetwork=true\)/);
  await page.selectOption('#pss-level', 'privileged');
  await page.waitForFunction(() => document.querySelector('#pss-output .verdict')?.textContent === 'Allowed at privileged:latest');
  await page.selectOption('#pss-level', 'baseline');
  await page.locator('#pss-input').pressSequentially('  securityContext: {sysctls: [{name: kernel.msgmax, value: "1"}]', { delay: 2 });
  await page.waitForFunction(() => document.querySelector('#pss-output .verdict')?.textContent?.startsWith('invalid_input at line'));
});

test('CEL: value, type and cost as you type; compile errors with their position', async () => {
  const { page } = chrome;
  await page.fill('#cel-object', 'spec: {replicas: 3}');
  await page.fill('#cel-expr', '');
  await page.locator('#cel-expr').pressSequentially('object.spec.replicas + 1u', { delay: 5 });
  // `object` is dynamic, so int + uint is found to have no overload at run time.
  await page.waitForFunction(() => document.querySelector('#cel-output .verdict')?.textContent === 'Runtime error');
  assert.match(await text('#cel-output'), /no such overload/);
  await page.fill('#cel-expr', 'object.spec.replicas * 2');
  await page.waitForFunction(() => document.querySelector('#cel-output .verdict')?.textContent === '6');
  assert.equal(await text('#cel-output [data-field=type]'), 'int');
  assert.equal(await text('#cel-output [data-field=cost]'), '4');
  await page.fill('#cel-expr', 'object.spec.replicas <');
  await page.waitForFunction(() => document.querySelector('#cel-output .verdict')?.textContent === 'compile_error at line 1, column 23');
  await page.fill('#cel-expr', "object.spec.replicas <= 5 && object.metadata.labels['team'] == 'web'");
  await page.fill('#cel-object', 'metadata: {labels: {team: web}}\nspec: {replicas: 3}');
  await page.waitForFunction(() => document.querySelector('#cel-output .verdict')?.textContent === 'true');
});

test('ValidatingAdmissionPolicy: a denied object shows the API server status', async () => {
  const { page } = chrome;
  await page.fill('#vap-object', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: big, namespace: default}\nspec: {replicas: 10}\n');
  await page.waitForFunction(() => document.querySelector('#vap-output .verdict')?.textContent === 'Denied: 422 Invalid');
  assert.match(await text('#vap-output'), /deployments\.apps "big" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' denied request: replicas must be no greater than 5/);
  await page.fill('#vap-object', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: small, namespace: default}\nspec: {replicas: 2}\n');
  await page.waitForFunction(() => document.querySelector('#vap-output .verdict')?.textContent === 'Allowed');
});

test('RBAC: who can read secrets in web', async () => {
  const { page } = chrome;
  await page.fill('#rbac-verb', 'list');
  await page.waitForFunction(() => document.querySelector('#rbac-output .verdict')?.textContent === '3 subjects can list secrets in namespace web');
  const items = await page.locator('#rbac-output li code').allInnerTexts();
  assert.deepEqual(items, ['Group system:masters', 'Group web-devs', 'ServiceAccount ci/deployer']);
  await page.fill('#rbac-verb', 'delete');
  await page.waitForFunction(() => document.querySelector('#rbac-output .verdict')?.textContent === '1 subjects can delete secrets in namespace web');
  await page.fill('#rbac-verb', 'get');
});

test('the page renders without errors (screenshot saved)', async () => {
  const { page, errors } = chrome;
  // Back to a readable state for the screenshot.
  await page.fill('#pss-input', 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  hostNetwork: true\n  containers:\n  - name: web\n    image: nginx:1.27\n    securityContext:\n      capabilities: {add: [NET_ADMIN]}\n');
  await page.waitForFunction(() => document.querySelector('#pss-output .verdict')?.textContent === 'Denied at baseline:latest');
  mkdirSync(new URL('../test-output/', import.meta.url), { recursive: true });
  await page.screenshot({ path: new URL('../test-output/playground.png', import.meta.url).pathname, fullPage: true });
  assert.deepEqual(errors, []);
});
