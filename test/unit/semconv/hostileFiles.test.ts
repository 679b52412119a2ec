import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegistryDiagnostic } from '../../../src/core/engine/diagnostic';
import { checkRegistry } from '../../../src/core/semconv/checkRegistry';
import { decodeRegistryText, readRegistryFile, fileAccessPolicy } from '../../../src/core/semconv/fileAccess';
import { loadRegistry, type LoadRegistryOptions } from '../../../src/core/semconv/loadRegistry';
import { isRegistryFolder, registryManifestIn } from '../../../src/core/semconv/registryRoot';
import { loadPublishedDependencies } from '../../../src/core/semconv/resolve/published';
import { RegistryWorkspace } from '../../../src/core/semconv/workspace';
import { repoRoot, textAt, where } from './helpers';

/**
 * Registries an attacker would send in a pull request, built for real in a temporary folder: links
 * leaving the registry, FIFOs, unreadable files, foreign encodings, a dependency on `/`, limits.
 * Every case must end in a located finding, never in a hang, a leak or a silent pass.
 */

const run = promisify(execFile);
const SECRET = 'SECRET_TOKEN_e3b0c44298fc1c149afbf4c8996fb924';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const MANIFEST = 'schema_url: https://example.com/r/1.0.0\n';
const GROUP = 'groups:\n  - id: registry.demo\n    type: attribute_group\n    brief: Demo.\n    attributes:\n      - id: demo.a\n        type: string\n        brief: A.\n        stability: stable\n        examples: ["x"]\n';

let work: string;
let outside: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'weavergen-hostile-'));
  // What the links point at: a folder next to the registries, holding secrets in registry-like files.
  outside = join(work, 'outside');
  await mkdir(join(outside, 'defs'), { recursive: true });
  await writeFile(join(outside, '.env'), `${SECRET}=1\nOTHER=${SECRET}\n`);
  await writeFile(join(outside, 'secret.yaml'), `groups:\n  - id: ${SECRET}\n    type: attribute_group\n    brief: ${SECRET}\n`);
  await writeFile(join(outside, 'defs', 'more.yaml'), `groups:\n  - id: ${SECRET}.more\n    type: nonsense\n`);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

let count = 0;
async function registry(files: Record<string, string>): Promise<string> {
  const dir = join(work, `r${++count}`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function check(dir: string, options: LoadRegistryOptions = {}): Promise<RegistryDiagnostic[]> {
  return checkRegistry(await loadRegistry(dir, options)).diagnostics;
}

function codes(diagnostics: readonly RegistryDiagnostic[], dir: string): string[] {
  return diagnostics.map((d) => `${d.file.startsWith(dir) ? d.file.slice(dir.length + 1) : d.file} ${d.code} ${d.severity}`);
}

describe('symbolic links leaving the registry', () => {
  test('a manifest linked to a .env file outside is not followed: a warning on the link, and the secret is nowhere', async () => {
    const dir = await registry({ 'a.yaml': GROUP });
    await symlink(join(outside, '.env'), join(dir, 'manifest.yaml'));
    const loaded = await loadRegistry(dir);
    expect(loaded.manifest).toBeUndefined();
    const diagnostics = checkRegistry(loaded).diagnostics;
    expect(codes(diagnostics, dir)).toEqual(['manifest.yaml symlink-skipped warning']);
    expect(diagnostics[0]!.message).toContain('--follow-symlinks');
    expect(JSON.stringify(diagnostics)).not.toContain(SECRET);
  });

  test('the legacy manifest name, a YAML file and a folder linked outside are each skipped with a finding', async () => {
    const dir = await registry({ 'a.yaml': GROUP });
    await symlink(join(outside, '.env'), join(dir, 'registry_manifest.yaml'));
    await symlink(join(outside, 'secret.yaml'), join(dir, 'b.yaml'));
    await symlink(join(outside, 'defs'), join(dir, 'defs'));
    await symlink(join(outside, '.env'), join(dir, 'notes.txt')); // not a registry file: never looked at
    const loaded = await loadRegistry(dir);
    expect(loaded.files.map((f) => f.path)).toEqual([join(dir, 'a.yaml')]);
    const diagnostics = checkRegistry(loaded).diagnostics;
    expect(codes(diagnostics, dir)).toEqual(['b.yaml symlink-skipped warning', 'defs symlink-skipped warning', 'registry_manifest.yaml symlink-skipped warning']);
    expect(JSON.stringify(diagnostics)).not.toContain(SECRET);
  });

  test('a link that stays inside the registry is followed (the manifest too); a link loop is a finding, not a hang', async () => {
    const dir = await registry({ 'shared/a.yaml': GROUP, 'shared/manifest.txt': MANIFEST });
    await symlink(join(dir, 'shared', 'manifest.txt'), join(dir, 'manifest.yaml'));
    await symlink(join(dir, 'shared'), join(dir, 'linked'));
    await symlink(join(dir, 'loop.yaml'), join(dir, 'loop.yaml'));
    await symlink(dir, join(dir, 'shared', 'back')); // a link to the registry itself is not walked again
    const loaded = await loadRegistry(dir);
    expect(loaded.files.map((f) => f.path.slice(dir.length + 1))).toEqual(['linked/a.yaml', 'shared/a.yaml']);
    expect(codes(loaded.fileProblems ?? [], dir)).toEqual(['loop.yaml file-unreadable error']);
    expect(loaded.manifest?.text).toBe(MANIFEST);
  });

  test('--follow-symlinks (followSymlinks) follows links outside: the user said they trust them', async () => {
    const dir = await registry({ 'manifest.yaml': MANIFEST });
    await symlink(join(outside, 'defs'), join(dir, 'defs'));
    const loaded = await loadRegistry(dir, { files: { followSymlinks: true } });
    expect(loaded.files.map((f) => f.path)).toEqual([join(dir, 'defs', 'more.yaml')]);
    expect(loaded.fileProblems).toEqual([]);
  });

  test('a manifest that is not a map is never quoted, even when the link to it is followed', async () => {
    const dir = await registry({ 'a.yaml': GROUP });
    await symlink(join(outside, '.env'), join(dir, 'manifest.yaml'));
    const diagnostics = await check(dir, { files: { followSymlinks: true } });
    expect(diagnostics.some((d) => d.file === join(dir, 'manifest.yaml') && d.severity === 'error')).toBe(true);
    expect(JSON.stringify(diagnostics)).not.toContain(SECRET);
    expect(JSON.stringify(diagnostics)).not.toContain('OTHER');
  });
});

describe('files that are not regular files', () => {
  test('a FIFO named manifest.yaml or x.yaml is never opened: a finding each, and loading returns', async () => {
    const dir = await registry({ 'a.yaml': GROUP });
    await run('mkfifo', [join(dir, 'manifest.yaml')]);
    await run('mkfifo', [join(dir, 'x.yaml')]);
    const diagnostics = await check(dir);
    expect(codes(diagnostics, dir)).toEqual(['manifest.yaml not-a-regular-file error', 'x.yaml not-a-regular-file error']);
    // The activation scan and the registry root lookup do not block on it either.
    expect(await registryManifestIn(dir)).toBeUndefined();
    expect(await isRegistryFolder(dir)).toBe(true);
  });

  test('a socket, and a device reached through a followed link (/dev/zero reads forever), are findings too', async () => {
    const dir = await registry({ 'a.yaml': GROUP });
    const server = createServer();
    await new Promise<void>((done) => server.listen(join(dir, 's.yaml'), done));
    try {
      await symlink('/dev/zero', join(dir, 'zero.yaml'));
      const diagnostics = await check(dir, { files: { followSymlinks: true } });
      expect(codes(diagnostics, dir)).toEqual(['s.yaml not-a-regular-file error', 'zero.yaml not-a-regular-file error']);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  test('a FIFO reached by reading it directly is refused on the open descriptor', async () => {
    const dir = await registry({});
    await run('mkfifo', [join(dir, 'p.yaml')]);
    const read = readRegistryFile(join(dir, 'p.yaml'), dir, fileAccessPolicy());
    expect(read.text).toBeNull();
    expect(read.problem?.code).toBe('not-a-regular-file');
  });

  test('the language server workspace shows the same findings (it reads through the same loader)', async () => {
    const dir = await registry({ 'a.yaml': GROUP });
    await run('mkfifo', [join(dir, 'x.yaml')]);
    await symlink(join(outside, 'secret.yaml'), join(dir, 'b.yaml'));
    const result = await new RegistryWorkspace(dir).check(undefined, { policies: false });
    expect(codes(result.diagnostics, dir)).toEqual(['b.yaml symlink-skipped warning', 'x.yaml not-a-regular-file error']);
    expect(result.byFile.get(join(dir, 'x.yaml'))?.map((d) => d.code)).toEqual(['not-a-regular-file']);
    expect(JSON.stringify(result.diagnostics)).not.toContain(SECRET);
  });
});

describe('unreadable files', () => {
  /**
   * Loads `dir` and prints the codes of what could not be read. Root reads a mode-000 file anyway, so
   * as root the load runs in a child process under an unprivileged user (the sources bundled with
   * esbuild, as the benchmarks run them); otherwise in this process.
   */
  async function unreadableCodes(dir: string): Promise<string[]> {
    if (!isRoot) return codes(await check(dir), dir);
    const bundleDir = await mkdtemp(join(tmpdir(), 'weavergen-unprivileged-'));
    try {
      const bundle = join(bundleDir, 'load.cjs');
      await build({
        stdin: {
          contents: `import { loadRegistry } from './src/core/semconv/loadRegistry';
            import { checkRegistry } from './src/core/semconv/checkRegistry';
            loadRegistry(process.argv[2]).then((r) => process.stdout.write(JSON.stringify(checkRegistry(r).diagnostics)));`,
          resolveDir: repoRoot,
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        outfile: bundle,
        logLevel: 'error',
      });
      for (const d of [bundleDir, work, dir]) await chmod(d, 0o755);
      const { stdout } = await run(process.execPath, [bundle, dir], { uid: 65534, gid: 65534 });
      return codes(JSON.parse(stdout) as RegistryDiagnostic[], dir);
    } finally {
      await rm(bundleDir, { recursive: true, force: true });
    }
  }

  test('a file or folder the user cannot read (EACCES) is a file-unreadable finding; the rest is checked', async () => {
    const dir = await registry({
      'a.yaml': GROUP,
      'locked.yaml': GROUP.replace('registry.demo', 'registry.locked').replace('demo.a', 'demo.b'),
      'locked-dir/c.yaml': GROUP.replace('registry.demo', 'registry.c').replace('demo.a', 'demo.c'),
    });
    await chmod(join(dir, 'locked.yaml'), 0o000);
    await chmod(join(dir, 'locked-dir'), 0o000);
    try {
      expect(await unreadableCodes(dir)).toEqual(['locked-dir file-unreadable error', 'locked.yaml file-unreadable error']);
    } finally {
      await chmod(join(dir, 'locked.yaml'), 0o644);
      await chmod(join(dir, 'locked-dir'), 0o755);
    }
  });
});

describe('encodings', () => {
  /** A v1 file whose line 5 (0-based 4) has a schema error: `type` is not a known group type. */
  const BROKEN = 'groups:\n  - id: registry.demo\n    brief: Demo.\n    attributes: []\n    type: not_a_type\n';

  test('UTF-16 LE and BE with a BOM are decoded and checked: the error inside is found on its line', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BROKEN, 'utf16le')]);
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(BROKEN, 'utf16le').swap16()]);
    const dir = await registry({});
    await writeFile(join(dir, 'le.yaml'), le);
    const beDir = await registry({});
    await writeFile(join(beDir, 'be.yaml'), be);
    for (const [d, name] of [
      [dir, 'le.yaml'],
      [beDir, 'be.yaml'],
    ] as const) {
      const diagnostics = await check(d);
      expect(diagnostics.map((x) => `${x.code}@${x.range.start.line}`)).toEqual(['schema@4']);
      expect(textAt(BROKEN, diagnostics[0]!.range)).toBe('not_a_type');
      expect(diagnostics[0]!.file).toBe(join(d, name));
    }
  });

  test('a UTF-8 BOM is dropped; UTF-16 without a BOM and UTF-32 are file-encoding findings', async () => {
    const dir = await registry({});
    await writeFile(join(dir, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GROUP)]));
    await writeFile(join(dir, 'nobom.yaml'), Buffer.from(GROUP.replace(/registry\.demo/g, 'registry.other').replace('demo.a', 'demo.o'), 'utf16le'));
    await writeFile(join(dir, 'utf32.yaml'), Buffer.from([0xff, 0xfe, 0, 0, 0x67, 0, 0, 0]));
    const diagnostics = await check(dir);
    expect(codes(diagnostics, dir)).toEqual(['nobom.yaml file-encoding error', 'utf32.yaml file-encoding error']);
    expect(diagnostics[0]!.message).toContain('UTF-16 or UTF-32 without a byte-order mark');
  });

  test('invalid UTF-8 is a finding at the first bad byte (a U+FFFD the file itself holds is not one)', async () => {
    const dir = await registry({});
    const before = Buffer.from('groups:\n  - id: registry.demo\n    brief: "ok \uFFFD caf');
    const bytes = Buffer.concat([before, Buffer.from([0xe9]), Buffer.from('"\n    type: attribute_group\n    attributes: []\n')]);
    await writeFile(join(dir, 'bad.yaml'), bytes);
    const diagnostics = await check(dir);
    expect(where(diagnostics)).toEqual(['invalid-utf8@2:20']);
    expect(diagnostics[0]!.message).toContain('line 3, column 21');
    expect(diagnostics[0]!.message).toContain(`byte offset ${before.length}, byte 0xe9`);
  });

  test('invalid UTF-8 after lone-CR and CRLF line ends is placed on the line the parser counts', () => {
    // Lines: "a: 1" (CR), "b: 2" (CRLF), "c: x" + bad byte: the bad byte is on line 2 (0-based), column 4.
    const bytes = Buffer.concat([Buffer.from('a: 1\rb: 2\r\nc: x'), Buffer.from([0xff]), Buffer.from('\n')]);
    const read = decodeRegistryText('/x.yaml', bytes);
    expect(read.problem?.code).toBe('invalid-utf8');
    expect(read.problem?.range.start).toEqual({ line: 2, character: 4 });
    expect(read.problem?.message).toContain('line 3, column 5');
  });

  test('the decoder alone: a lone surrogate in UTF-16 and an odd length are encoding findings', () => {
    const lone = Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00]);
    expect(decodeRegistryText('/x.yaml', lone).problem?.code).toBe('file-encoding');
    expect(decodeRegistryText('/x.yaml', Buffer.from([0xff, 0xfe, 0x41])).problem?.code).toBe('file-encoding');
    expect(decodeRegistryText('/x.yaml', Buffer.from('a: 1\n')).problem).toBeUndefined();
  });
});

describe('dependencies', () => {
  const manifest = (registryPath: string): string =>
    `schema_url: https://example.com/r/1.0.0\ndependencies:\n  - schema_url: https://example.com/d/1.0.0\n    registry_path: ${registryPath}\n`;

  test('registry_path: / is refused before anything is walked', async () => {
    const dir = await registry({ 'manifest.yaml': manifest('/'), 'a.yaml': GROUP });
    const loaded = await loadRegistry(dir);
    expect(loaded.dependencies[0]?.unavailable?.reason).toBe('refused');
    const diagnostics = checkRegistry(loaded).diagnostics;
    expect(where(diagnostics)).toEqual(['dependency-refused@3:19']);
    expect(diagnostics[0]!.message).toContain('root of the file system');
  });

  test("the user's home folder and a folder holding the registry are refused too", async () => {
    const home = await registry({ 'manifest.yaml': manifest(JSON.stringify(homedir())) });
    expect((await loadRegistry(home)).dependencies[0]?.unavailable?.detail).toMatch(/home folder/);
    const nested = await registry({ 'inner/manifest.yaml': manifest('..') });
    const loaded = await loadRegistry(join(nested, 'inner'));
    expect(loaded.dependencies[0]?.unavailable?.detail).toMatch(/holds the registry being checked/);
  });

  test('a registry_path through a link inside the registry that leaves it is refused like the link', async () => {
    const dir = await registry({ 'manifest.yaml': manifest('deps/evil') });
    await mkdir(join(dir, 'deps'));
    await symlink(join(outside, 'defs'), join(dir, 'deps', 'evil'));
    const loaded = await loadRegistry(dir);
    expect(loaded.dependencies[0]?.unavailable?.detail).toMatch(/symbolic link that leaves the registry folder/);
    expect(JSON.stringify(checkRegistry(loaded).diagnostics)).not.toContain(SECRET);
    const followed = await loadRegistry(dir, { files: { followSymlinks: true } });
    expect(followed.dependencies[0]?.registry?.files).toHaveLength(1);
  });

  test("a published dependency's resolved_registry_uri cannot take the read outside its folder", async () => {
    const published = (uri: string) => `file_format: manifest/2.0\nschema_url: https://example.com/d/1.0.0\nresolved_registry_uri: ${uri}\n`;
    for (const uri of ['../outside/secret.yaml', join(outside, 'secret.yaml'), 'linked.yaml']) {
      const dep = await registry({ 'manifest.yaml': published(uri) });
      await symlink(join(outside, 'secret.yaml'), join(dep, 'linked.yaml'));
      const dir = await registry({ 'manifest.yaml': manifest(`../${dep.slice(work.length + 1)}`) });
      const loaded = await loadRegistry(dir);
      expect(loaded.dependencies[0]?.unavailable?.reason).toBe('published');
      expect((await loadPublishedDependencies(loaded)).size).toBe(0);
    }
  });

  test('a sibling registry folder is still loaded', async () => {
    const dep = await registry({ 'manifest.yaml': 'schema_url: https://example.com/d/1.0.0\n', 'd.yaml': GROUP });
    const dir = await registry({ 'manifest.yaml': manifest(`../${dep.slice(work.length + 1)}`) });
    const loaded = await loadRegistry(dir);
    expect(loaded.dependencies[0]?.registry?.files.map((f) => f.path)).toEqual([join(dep, 'd.yaml')]);
  });

  test('a URL dependency is an error on its line: it was not fetched, so it was not checked', async () => {
    const text = manifest('https://github.com/open-telemetry/semantic-conventions/archive/refs/tags/v1.37.0.zip[model]');
    const dir = await registry({ 'manifest.yaml': text, 'a.yaml': GROUP });
    const diagnostics = await check(dir);
    expect(where(diagnostics)).toEqual(['dependency-not-fetched@3:19']);
    expect(diagnostics[0]!.severity).toBe('error');
    expect(diagnostics[0]!.message).toMatch(/not fetched.*registry_path to its local folder.*--engine weaver/);
  });
});

describe('limits', () => {
  test('more files than --max-files: loading stops with a finding naming the limit and the flag', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.yaml`] = GROUP.replace(/registry\.demo/g, `registry.d${i}`).replace('demo.a', `demo.a${i}`);
    const dir = await registry(files);
    const loaded = await loadRegistry(dir, { files: { limits: { maxFiles: 3 } } });
    expect(loaded.files).toHaveLength(3);
    expect(codes(loaded.fileProblems ?? [], dir)).toEqual(['f3.yaml limit-exceeded error']);
    expect(loaded.fileProblems?.[0]?.message).toMatch(/the limit is 3 files \(maxFiles\).*--max-files.*weavergen\.files\.maxFiles/);
  });

  test('a file larger than --max-file-size is not read; the total is bounded by --max-total-size', async () => {
    const dir = await registry({ 'a.yaml': GROUP, 'b.yaml': GROUP.replace(/registry\.demo/g, 'registry.bbbb').replace('demo.a', 'demo.b') });
    const size = (await readFile(join(dir, 'a.yaml'))).length;
    const big = await loadRegistry(dir, { files: { limits: { maxFileBytes: size - 1 } } });
    expect(codes(big.fileProblems ?? [], dir)).toEqual(['a.yaml limit-exceeded error', 'b.yaml limit-exceeded error']);
    expect(big.fileProblems?.[0]?.message).toContain('--max-file-size');
    const total = await loadRegistry(dir, { files: { limits: { maxTotalBytes: size + 10 } } });
    expect(total.files.map((f) => f.path)).toEqual([join(dir, 'a.yaml')]);
    expect(codes(total.fileProblems ?? [], dir)).toEqual(['b.yaml limit-exceeded error']);
    expect(total.fileProblems?.[0]?.message).toContain('--max-total-size');
  });

  test('folders deeper than --max-depth are not walked', async () => {
    const dir = await registry({ 'a/b/c/deep.yaml': GROUP, 'top.yaml': GROUP.replace(/registry\.demo/g, 'registry.top').replace('demo.a', 'demo.t') });
    const loaded = await loadRegistry(dir, { files: { limits: { maxDepth: 2 } } });
    expect(loaded.files.map((f) => f.path)).toEqual([join(dir, 'top.yaml')]);
    expect(codes(loaded.fileProblems ?? [], dir)).toEqual(['a/b/c limit-exceeded error']);
    expect(loaded.fileProblems?.[0]?.message).toContain('--max-depth');
  });

  test('by default a file too large to parse within memory is refused unread, naming the flag that raises it', async () => {
    const dir = await registry({ 'top.yaml': GROUP });
    // One byte over the default limit: a file of this size would take gigabytes once parsed.
    await writeFile(join(dir, 'huge.yaml'), Buffer.alloc(fileAccessPolicy().limits.maxFileBytes + 1, 0x20));
    const loaded = await loadRegistry(dir);
    expect(loaded.files.map((f) => f.path)).toEqual([join(dir, 'top.yaml')]);
    expect(codes(loaded.fileProblems ?? [], dir)).toEqual(['huge.yaml limit-exceeded error']);
    expect(loaded.fileProblems?.[0]?.message).toContain('--max-file-size');
  });
});
