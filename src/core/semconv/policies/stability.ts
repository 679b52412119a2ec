import { regoText, type FindingSink } from './finding';
import {
  isEnumType,
  type PolicyAttribute,
  type PolicyAttributeUse,
  type PolicyDeprecation,
  type PolicyRegistry,
  type PolicyRequirementLevel,
  type SourceLocation,
} from './input';
import { policyExceptions } from './annotations';

/**
 * The `stability` package of weaver-packages (`stability.rego` and `deprecation.rego`): stable entities
 * need an identity, a signal may not claim a higher stability than an attribute it uses (unless that
 * attribute is opt-in), and every `renamed_to` must name a live definition of a compatible type.
 */
export function checkStability(registry: PolicyRegistry, sink: FindingSink): void {
  entityIdentity(registry, sink);
  lowerStabilityAttributes(registry, sink);
  attributeRenames(registry, sink);
  signalRenames(registry, sink);
  enumMemberRenames(registry, sink);
}

/** Higher is more stable; a stability outside this table (e.g. `deprecated`) is never compared. */
export const STABILITY_RANK: Readonly<Record<string, number>> = {
  development: 1,
  experimental: 1,
  alpha: 2,
  beta: 3,
  release_candidate: 4,
  stable: 5,
};

/** `opt_in`, or `{ opt_in: "..." }`. */
export function isOptIn(level: PolicyRequirementLevel): boolean {
  return level === 'opt_in' || (typeof level === 'object' && level !== null && 'opt_in' in level);
}

function entityIdentity(registry: PolicyRegistry, sink: FindingSink): void {
  for (const entity of registry.entities) {
    if (entity.stability !== 'stable' || entity.identity.length > 0) continue;
    sink.add(entity.location, {
      id: 'stability_entity_no_identity',
      message: `Stable entity '${entity.name}' has no identifying attributes`,
      signal: { type: 'entity', name: entity.name },
    });
  }
}

interface SignalAttributes {
  type: string;
  name: string;
  stability: string;
  annotations: Record<string, unknown>;
  attributes: PolicyAttributeUse[];
}

function signalAttributeLists(registry: PolicyRegistry): SignalAttributes[] {
  return [
    ...registry.metrics.map((s) => ({ type: 'metric', ...s })),
    ...registry.events.map((s) => ({ type: 'event', ...s })),
    ...registry.spans.map((s) => ({ type: 'span', ...s })),
    ...registry.entities.map((s) => ({ type: 'entity', ...s, attributes: [...s.identity, ...s.description] })),
    // Public groups only (the input lists no others): other registries may reference them.
    ...registry.attributeGroups.map((s) => ({ type: 'attribute_group', ...s })),
  ];
}

function lowerStabilityAttributes(registry: PolicyRegistry, sink: FindingSink): void {
  for (const signal of signalAttributeLists(registry)) {
    if (policyExceptions(signal.annotations, 'stability').has(`${signal.type}_lower_stability_attribute`)) continue;
    const signalRank = STABILITY_RANK[signal.stability];
    if (signalRank === undefined) continue;
    for (const attr of signal.attributes) {
      if (isOptIn(attr.requirementLevel)) continue;
      const attrRank = STABILITY_RANK[attr.stability];
      if (attrRank === undefined || signalRank <= attrRank) continue;
      sink.add(attr.usedAt, {
        id: `stability_${signal.type}_lower_stability_attribute`,
        context: { attribute_key: attr.key, attribute_stability: attr.stability, signal_stability: signal.stability },
        message:
          `${signal.type} '${signal.name}' has stability '${signal.stability}' which is higher than the stability ` +
          `'${attr.stability}' of attribute '${attr.key}'; lower-stability attributes are only allowed at 'opt_in' requirement level`,
        signal: { type: signal.type, name: signal.name },
      });
    }
  }
}

/** The rename target of a `deprecated: {reason: renamed, renamed_to: x}`, with where it is written. */
function renameTarget(deprecated: PolicyDeprecation | undefined): { to: string; at: SourceLocation } | undefined {
  if (deprecated?.reason !== 'renamed' || deprecated.renamedTo === undefined) return undefined;
  return { to: deprecated.renamedTo, at: deprecated.location };
}

function isNumber(v: unknown): boolean {
  return typeof v === 'number';
}

function isString(v: unknown): boolean {
  return typeof v === 'string';
}

function sameValueType(a: unknown, b: unknown): boolean {
  return typeof a === typeof b;
}

function attributeRenames(registry: PolicyRegistry, sink: FindingSink): void {
  const live = new Set(registry.attributes.filter((a) => !a.deprecated).map((a) => a.key));
  const byKey = new Map<string, PolicyAttribute>();
  for (const a of registry.attributes) if (!byKey.has(a.key)) byKey.set(a.key, a);

  for (const attr of registry.attributes) {
    const rename = renameTarget(attr.deprecated);
    if (!rename) continue;
    const to = rename.to;
    if (!live.has(to)) {
      sink.add(rename.at, {
        id: 'deprecation_attribute_renamed_to_invalid',
        context: { attribute_key: attr.key, renamed_to: to },
        message: `Attribute '${attr.key}' was renamed to '${to}', but the new attribute does not exist or is deprecated.`,
      });
    }
    const target = byKey.get(to);
    if (!target) continue;
    const mismatch = (message: string, extra: Record<string, string> = {}): void =>
      sink.add(rename.at, {
        id: 'deprecation_attribute_renamed_to_type_mismatch',
        context: { attribute_key: attr.key, renamed_to: to, ...extra },
        message,
      });
    // `type.members` is what the package tests for an enum, so an enum is any type with a members list.
    const oldEnum = typeof attr.type === 'object' ? attr.type.members : undefined;
    const newEnum = typeof target.type === 'object' ? target.type.members : undefined;
    if (!oldEnum && !newEnum && attr.type !== target.type) {
      const oldType = attr.type as string;
      const newType = target.type as string;
      mismatch(
        `Attribute '${attr.key}' was renamed to '${to}', but the new attribute type '${newType}' is not the same as the old attribute type '${oldType}'.`,
        { old_type: oldType, new_type: newType },
      );
    }
    const newFirst = newEnum?.[0]?.value;
    const oldFirst = oldEnum?.[0]?.value;
    if (attr.type === 'string' && newEnum && newEnum.length > 0 && !isString(newFirst)) {
      mismatch(`String attribute '${attr.key}' was renamed to enum attribute '${to}', but the new attribute member type is not a string type`);
    }
    if (attr.type === 'int' && newEnum && newEnum.length > 0 && !isNumber(newFirst)) {
      mismatch(`Int attribute '${attr.key}' was renamed to enum attribute '${to}', but the new attribute member type is not a number`);
    }
    if (oldEnum && newEnum && oldEnum.length > 0 && newEnum.length > 0 && !sameValueType(oldFirst, newFirst)) {
      mismatch(`Enum attribute '${attr.key}' was renamed to '${to}', but the value types are not the same.`);
    }
    if (oldEnum && oldEnum.length > 0 && isString(oldFirst) && !newEnum && target.type !== 'string') {
      mismatch(`Enum attribute '${attr.key}' with string values was renamed to '${to}', but the new attribute type is '${regoText(target.type)}'.`);
    }
    if (oldEnum && oldEnum.length > 0 && isNumber(oldFirst) && !newEnum && target.type !== 'int') {
      mismatch(`Enum attribute '${attr.key}' with int values was renamed to '${to}', but the new attribute type is '${regoText(target.type)}'.`);
    }
  }
}

function signalRenames(registry: PolicyRegistry, sink: FindingSink): void {
  const kinds = [
    ['metric', 'Metric', registry.metrics],
    ['event', 'Event', registry.events],
    ['span', 'Span', registry.spans],
    ['entity', 'Entity', registry.entities],
  ] as const;
  for (const [type, label, signals] of kinds) {
    const live = new Set(signals.filter((s) => !s.deprecated).map((s) => s.name));
    for (const signal of signals) {
      const rename = renameTarget(signal.deprecated);
      if (!rename || live.has(rename.to)) continue;
      sink.add(rename.at, {
        id: `deprecation_${type}_renamed_to_invalid`,
        context: { renamed_to: rename.to },
        message: `${label} '${signal.name}' was renamed to '${rename.to}', but the new ${type} does not exist or is deprecated.`,
        signal: { type, name: signal.name },
      });
    }
  }
}

function enumMemberRenames(registry: PolicyRegistry, sink: FindingSink): void {
  for (const attr of registry.attributes) {
    if (!isEnumType(attr.type)) continue;
    const members = attr.type.members;
    for (const member of members) {
      const rename = renameTarget(member.deprecated);
      if (!rename) continue;
      if (members.some((m) => m.id === rename.to && !m.deprecated)) continue;
      sink.add(rename.at, {
        id: 'deprecation_enum_member_renamed_to_invalid',
        context: { attribute_key: attr.key, member_id: member.id, renamed_to: rename.to },
        message: `Member '${member.id}' of the attribute '${attr.key}' was renamed to '${rename.to}', but the new member does not exist or is deprecated.`,
      });
    }
  }
}
