#!/usr/bin/env node
// Checks every pod and workload in a folder of manifests against the Pod Security level its
// namespace's labels enforce, and prints one verdict per object.
//
//   node check-pss.mjs ../cluster
//
// Exit status: 0 when everything is allowed, 1 when something is denied, 2 on bad input.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePod, loadManifests } from '@palisade/wasm';

const WORKLOADS = new Set([
  'Pod', 'PodTemplate', 'ReplicationController', 'ReplicaSet', 'Deployment', 'DaemonSet',
  'StatefulSet', 'Job', 'CronJob',
]);

function* files(path) {
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) yield* files(join(path, entry));
  } else if (/\.(ya?ml|json)$/.test(path)) {
    yield path;
  }
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: check-pss.mjs DIR');
  process.exit(2);
}

const objects = [];
for (const file of files(dir)) {
  try {
    for (const object of loadManifests(readFileSync(file, 'utf8'))) objects.push({ file, object });
  } catch (e) {
    const at = e.position ? `:${e.position.line}:${e.position.column}` : '';
    console.error(`${file}${at}: ${e.message}`);
    process.exit(2);
  }
}

const labels = new Map(
  objects
    .filter(({ object }) => object.kind === 'Namespace')
    .map(({ object }) => [object.metadata?.name, object.metadata?.labels ?? {}]),
);

let denied = 0;
for (const { object } of objects) {
  if (!WORKLOADS.has(object.kind)) continue;
  const namespace = object.metadata?.namespace ?? 'default';
  const request = { namespaceLabels: labels.get(namespace) ?? {} };
  request[object.kind === 'Pod' ? 'pod' : 'object'] = object;
  const r = evaluatePod(request);
  const id = `${namespace}/${object.kind}/${object.metadata?.name}`;
  if (r.allowed) {
    console.log(`${id}: allowed (${r.levelVersion})`);
  } else {
    denied++;
    console.log(`${id}: DENIED (${r.levelVersion}): ${r.forbiddenDetail}`);
  }
}
console.log(`${denied} denied`);
process.exit(denied > 0 ? 1 : 0);
