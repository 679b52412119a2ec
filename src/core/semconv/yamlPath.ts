import { isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { pairKey, resolveNode } from './yamlNodes';

/** `/groups/3/attributes/0` -> ['groups', 3, 'attributes', 0] (JSON Pointer, RFC 6901). */
export function pointerSegments(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(seg) ? Number(seg) : seg;
    });
}

export interface LocatedNode {
  /** The deepest node reached along the path (the target itself when `complete`). */
  node: Node | undefined;
  /** The key scalar of the pair holding the target, when the target is a map value. */
  key: Scalar | undefined;
  /** False when the path left the document (the node shown is the closest existing ancestor). */
  complete: boolean;
}

/**
 * Walks the YAML AST along a JSON Pointer, the way ajv addresses the plain value: this is what puts a
 * schema error on the exact YAML node it is about. Aliases are followed, so an error inside an anchored
 * value lands on the anchor's definition.
 */
export function locate(doc: Document, segments: ReadonlyArray<string | number>): LocatedNode {
  let node = resolveNode(doc, doc.contents);
  let key: Scalar | undefined;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => pairKey(p) === String(seg));
      if (!pair) return { node, key, complete: false };
      key = isScalar(pair.key) ? pair.key : undefined;
      node = resolveNode(doc, pair.value);
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      key = undefined;
      node = resolveNode(doc, node.items[seg]);
    } else {
      return { node, key, complete: false };
    }
  }
  return { node, key, complete: true };
}
