import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';

/**
 * Finds the .bpmn file for a workflow name. User folders (`.weavergen/workflows` of a trusted
 * workspace in the editor, the `--workflows` folder on the CLI) are searched first so a user can
 * replace a built-in workflow; the built-in folder last. Finding a file is not trusting it: the
 * runner refuses any file that could run code (workflowSafety.ts).
 */

/** Present in every built-in workflows folder: how the default folder is recognised. */
const BUILTIN_MARKER = 'registry_check.bpmn';
/** Workflow names are file names without a folder, so a name can never walk out of its folder. */
const WORKFLOW_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export class WorkflowError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkflowError';
  }
}

export interface WorkflowDirs {
  workflowsDir?: string;
  overrideDirs?: readonly string[];
}

export interface LocatedWorkflow {
  /** Workflow name: the file name without `.bpmn`. */
  name: string;
  /** Absolute path of the .bpmn file. */
  file: string;
  /** `override` when it came from a user folder, `builtin` from the extension's own, `file` when given as a path. */
  origin: 'builtin' | 'override' | 'file';
}

/**
 * The built-in workflows folder: `workflows/` beside the running bundle (dist/workflows, copied
 * by the build) or above the sources (the repository's workflows/ when run from src or tests).
 */
export function defaultWorkflowsDir(): string | undefined {
  const starts: string[] = [];
  // CommonJS bundles and vitest both define __dirname; an ESM host falls back to the entry script.
  if (typeof __dirname === 'string') starts.push(__dirname);
  if (process.argv[1]) starts.push(dirname(resolve(process.argv[1])));
  for (const start of starts) {
    let dir = start;
    for (let depth = 0; depth < 6; depth++) {
      const candidate = join(dir, 'workflows');
      if (existsSync(join(candidate, BUILTIN_MARKER))) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

function searchDirs(dirs: WorkflowDirs): { dir: string; origin: 'builtin' | 'override' }[] {
  const out: { dir: string; origin: 'builtin' | 'override' }[] = (dirs.overrideDirs ?? []).map((dir) => ({
    dir: resolve(dir),
    origin: 'override' as const,
  }));
  const builtin = dirs.workflowsDir ?? defaultWorkflowsDir();
  if (builtin) out.push({ dir: resolve(builtin), origin: 'builtin' });
  return out;
}

/** `registry_check` -> the first `registry_check.bpmn` in the search folders; a path ending in .bpmn -> that file. */
export function locateWorkflow(workflow: string, dirs: WorkflowDirs = {}): LocatedWorkflow {
  if (isAbsolute(workflow) || extname(workflow).toLowerCase() === '.bpmn') {
    const file = resolve(workflow);
    if (!isFile(file)) throw new WorkflowError(`Workflow file not found: ${file}. Check the path to the .bpmn file.`);
    return { name: basename(file, extname(file)), file, origin: 'file' };
  }
  if (!WORKFLOW_NAME.test(workflow)) {
    throw new WorkflowError(
      `"${workflow}" is not a workflow name: use the .bpmn file name without extension (letters, digits, _ . -), e.g. registry_check.`,
    );
  }
  const dirsToSearch = searchDirs(dirs);
  for (const { dir, origin } of dirsToSearch) {
    const file = join(dir, `${workflow}.bpmn`);
    if (isFile(file)) return { name: workflow, file, origin };
  }
  const looked = dirsToSearch.length ? dirsToSearch.map((d) => d.dir).join(', ') : 'no workflows folder (none was found next to the program)';
  const known = listWorkflows(dirs).map((w) => w.name);
  throw new WorkflowError(
    `Workflow "${workflow}" not found: looked for ${workflow}.bpmn in ${looked}.` +
      (known.length ? ` Available: ${known.join(', ')}.` : '') +
      ' Add the file to .weavergen/workflows/ of a trusted workspace (editor) or to a folder named by --workflows (CLI), or pass the path of a .bpmn file.',
  );
}

/** Every workflow the search folders offer, user overrides shadowing built-ins of the same name. */
export function listWorkflows(dirs: WorkflowDirs = {}): LocatedWorkflow[] {
  const found = new Map<string, LocatedWorkflow>();
  for (const { dir, origin } of searchDirs(dirs)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.sort()) {
      if (extname(n) !== '.bpmn') continue;
      const name = basename(n, '.bpmn');
      if (!found.has(name) && WORKFLOW_NAME.test(name)) found.set(name, { name, file: join(dir, n), origin });
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
