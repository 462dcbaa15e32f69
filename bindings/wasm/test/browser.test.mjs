// The browser build (`@palisade/wasm/web`) in headless Chromium: a page imports it, evaluates a
// pod and a CEL expression.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, serve } from './harness.mjs';

let server;
let chrome;
before(async () => {
  server = await serve();
  chrome = await browser();
});
after(async () => {
  await chrome?.browser.close();
  await server?.close();
});

test('the web build evaluates a pod and a CEL expression in Chromium', async () => {
  const { page, errors } = chrome;
  await page.goto(`${server.url}/bindings/wasm/test/browser/index.html`);
  await page.waitForFunction(() => window.results !== undefined, null, { timeout: 30000 });
  const r = await page.evaluate(() => window.results);
  assert.equal(r.failure, undefined);
  assert.equal(r.version, '0.1.0');
  assert.equal(r.pss.allowed, false);
  assert.equal(r.pss.forbiddenDetail, 'host namespaces (hostNetwork=true)');
  assert.equal(r.pss.admissionMessage, 'pods "web" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)');
  assert.deepEqual(r.cel, { value: true, type: 'bool', cost: 4 });
  assert.deepEqual(r.compileError, { code: 'compile_error', position: { line: 1, column: 4 }, isError: true });
  assert.deepEqual(errors, []);
});
