import type { FindingSink } from './finding';
import type { PolicyNamed, PolicyRegistry } from './input';

/**
 * The `entity_associations` package of weaver-packages: every entity a metric, span or event names in
 * `entity_associations` must be the type of an entity of the registry.
 */
export function checkEntityAssociations(registry: PolicyRegistry, sink: FindingSink): void {
  const known = new Set([...registry.entities.map((e) => e.name), ...(registry.importedEntities ?? [])]);
  const signals: Array<[string, { name: string; entityAssociations: PolicyNamed[] }[]]> = [
    ['metric', registry.metrics],
    ['span', registry.spans],
    ['event', registry.events],
  ];
  for (const [type, list] of signals) {
    for (const signal of list) {
      for (const association of signal.entityAssociations) {
        if (known.has(association.name)) continue;
        sink.add(association.location, {
          id: 'entity_association_unknown_entity',
          context: { entity: association.name },
          message: `Unknown entity '${association.name}' associated with ${type} '${signal.name}'`,
          signal: { type, name: signal.name },
        });
      }
    }
  }
}
