import type { Range } from '../engine/diagnostic';
import type { ParsedFile } from './parsedFile';
import { nodeRange } from './positions';
import { asMap, getMapItems, getString } from './yamlNodes';

export interface ManifestDependency {
  /** `registry_path` as written, when given. */
  registryPath?: string;
  schemaUrl?: string;
  /** `name` of a v1-style dependency declaration. */
  name?: string;
  /** The range of the dependency entry's most telling value, for messages. */
  range: Range;
}

export interface ManifestModel {
  schemaUrl?: string;
  /** True for a publication manifest (`file_format: manifest/2.0`) of a packaged registry. */
  published: boolean;
  dependencies: ManifestDependency[];
}

export function manifestModel(file: ParsedFile): ManifestModel {
  const doc = file.doc;
  const root = asMap(doc, doc.contents);
  if (!root) return { published: false, dependencies: [] };
  const dependencies: ManifestDependency[] = [];
  for (const dep of getMapItems(doc, root, 'dependencies')) {
    const registryPath = getString(doc, dep, 'registry_path');
    const schemaUrl = getString(doc, dep, 'schema_url');
    const name = getString(doc, dep, 'name');
    const anchor = registryPath ?? schemaUrl ?? name;
    const entry: ManifestDependency = {
      range: anchor ? nodeRange(file.lineCounter, anchor.node) : nodeRange(file.lineCounter, dep),
    };
    if (registryPath) entry.registryPath = registryPath.value;
    if (schemaUrl) entry.schemaUrl = schemaUrl.value;
    if (name) entry.name = name.value;
    dependencies.push(entry);
  }
  const model: ManifestModel = {
    published: getString(doc, root, 'file_format')?.value.startsWith('manifest/') ?? false,
    dependencies,
  };
  const schemaUrl = getString(doc, root, 'schema_url')?.value;
  if (schemaUrl) model.schemaUrl = schemaUrl;
  return model;
}
