import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { trace } from '@opentelemetry/api';
import { outputWrite, ERR_NOTHING_TO_WRITE, ERR_OUTPUT_REFUSED } from '../../../src/core/services/outputWrite';
import { registryResolve, RESOLVED_REGISTRY, ERR_RESOLUTION_FAILED } from '../../../src/core/services/registryResolve';
import { ERR_NO_REGISTRY_LOADED } from '../../../src/core/services/serviceError';
import { LOADED_REGISTRY } from '../../../src/core/services/stateKeys';
import type { RunState, ServiceContext, StateKey } from '../../../src/core/workflow/types';
import type { LoadedRegistryHandle, RegistryEngine } from '../../../src/core/engine/registryEngine';
import { removeTree, writeTree } from './helpers';

function state(): RunState {
  const values = new Map<StateKey<unknown>, unknown>();
  return {
    get: <T>(key: StateKey<T>) => values.get(key) as T | undefined,
    set: <T>(key: StateKey<T>, value: T) => void values.set(key, value),
    has: (key) => values.has(key),
  };
}

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function context(inputs: Record<string, unknown>, runState = state()): ServiceContext {
  return {
    inputs,
    outputs: {},
    state: runState,
    // registry.resolve and output.write never call the engine: it stays unimplemented here.
    host: { engine: {} as RegistryEngine, publishDiagnostics() {}, log: silent },
    signal: new AbortController().signal,
    log: silent,
    tracer: trace.getTracer('test'),
    activity: { id: 'Task', name: 'Task', type: 'bpmn:ServiceTask' },
    runId: 'run',
  };
}

function handle(registryPath: string): LoadedRegistryHandle {
  return { engine: 'native', summary: { registryPath, files: 1, groups: 1, attributes: 1 } };
}

const REGISTRY = `groups:
  - id: registry.x
    type: attribute_group
    brief: X.
    attributes:
      - id: x.one
        type: string
        brief: One.
`;

let root = '';
afterEach(async () => {
  if (root) await removeTree(root);
  root = '';
});

describe('registry.resolve and output.write services', () => {
  test('registry.resolve needs registry.load first; output.write needs registry.resolve first', async () => {
    await expect(registryResolve(context({}))).rejects.toMatchObject({ code: ERR_NO_REGISTRY_LOADED });
    await expect(outputWrite(context({}))).rejects.toMatchObject({ code: ERR_NOTHING_TO_WRITE });
  });

  test('resolution errors fail the service with their file and line', async () => {
    root = await writeTree({ 'reg/a.yaml': REGISTRY, 'reg/b.yaml': REGISTRY });
    const s = state();
    s.set(LOADED_REGISTRY, handle(join(root, 'reg')));
    const err = await registryResolve(context({}, s)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ERR_RESOLUTION_FAILED });
    expect(String((err as Error).message)).toContain('b.yaml:2:9 DuplicateGroupId');
  });

  test('output.write writes JSON inside outputRoot and refuses a symlink that leads out of it', async () => {
    root = await writeTree({ 'reg/a.yaml': REGISTRY, 'out/.keep': '' });
    const s = state();
    s.set(LOADED_REGISTRY, handle(join(root, 'reg')));
    const resolved = await registryResolve(context({}, s));
    expect(resolved.outputs).toEqual({ resolvedGroups: 1, resolvedAttributes: 1 });
    expect(s.get(RESOLVED_REGISTRY)?.groups[0]?.id).toBe('registry.x');

    const written = await outputWrite(context({ format: 'json', outputPath: 'resolved.json', outputRoot: join(root, 'out') }, s));
    expect(written.outputs?.written).toBe(join(root, 'out', 'resolved.json'));
    const doc = JSON.parse(await readFile(join(root, 'out', 'resolved.json'), 'utf8')) as { registry: { groups: unknown[] } };
    expect(doc.registry.groups).toHaveLength(1);

    await mkdir(join(root, 'elsewhere'));
    await symlink(join(root, 'elsewhere'), join(root, 'out', 'link'));
    await expect(outputWrite(context({ outputPath: 'link/x.yaml', outputRoot: join(root, 'out') }, s))).rejects.toMatchObject({ code: ERR_OUTPUT_REFUSED });
    await expect(outputWrite(context({ format: 'xml', outputPath: 'x', outputRoot: join(root, 'out') }, s))).rejects.toMatchObject({ code: ERR_OUTPUT_REFUSED });
  });
});
