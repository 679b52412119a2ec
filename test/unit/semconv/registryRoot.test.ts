import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { findRegistryRoot, isRegistryFolder } from '../../../src/core/semconv/registryRoot';
import { fixtures, removeTempRegistries, shared, tempRegistry } from './helpers';

afterEach(removeTempRegistries);

describe('findRegistryRoot', () => {
  test('walks up to the folder holding the registry manifest', async () => {
    expect(await findRegistryRoot(fixtures('mixed', 'shop'))).toBe(fixtures('mixed'));
    expect(await findRegistryRoot(shared('registries/semconv-main/http'))).toBe(shared('registries/semconv-main'));
  });

  test('a manifest.yaml that does not name a registry is not a registry manifest', async () => {
    const dir = await tempRegistry({ 'manifest.yaml': 'apiVersion: v1\nkind: Pod\n', 'defs/a.yaml': 'groups: []\n' });
    expect(await findRegistryRoot(join(dir, 'defs'))).toBe(join(dir, 'defs'));
  });

  test('without a manifest anywhere above, the start folder is the registry', async () => {
    const dir = await tempRegistry({ 'a.yaml': 'groups: []\n' });
    expect(await findRegistryRoot(dir)).toBe(dir);
  });
});

describe('isRegistryFolder', () => {
  test('a folder with a registry manifest, or with definition files (v1 or v2), is a registry', async () => {
    expect(await isRegistryFolder(fixtures('mixed'))).toBe(true);
    expect(await isRegistryFolder(shared('conformance/weaver-semconv/data'))).toBe(true);
    const v2Only = await tempRegistry({ 'deep/er/x.yaml': "file_format: 'definition/2'\nattributes: []\n" });
    expect(await isRegistryFolder(v2Only)).toBe(true);
  });

  test('a folder with other YAML only, or with templates only, is not', async () => {
    const dir = await tempRegistry({
      'docker-compose.yaml': 'services: {}\n',
      'templates/registry/weaver.yaml': 'templates: []\n',
      'templates/registry/groups.yaml': 'groups: []\n',
      'manifest.yaml': 'kind: Deployment\n',
    });
    await mkdir(join(dir, 'empty'));
    expect(await isRegistryFolder(dir)).toBe(false);
    expect(await isRegistryFolder(join(dir, 'empty'))).toBe(false);
    expect(await isRegistryFolder(join(dir, 'does-not-exist'))).toBe(false);
  });
});
