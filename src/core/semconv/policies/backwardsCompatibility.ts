import { regoSet, regoSetText, regoText, type FindingSink } from './finding';
import { isEnumType, type PolicyAttribute, type PolicyAttributeUse, type PolicyRegistry, type SourceLocation } from './input';
import { policyExceptions } from './annotations';

/**
 * The `backwards-compatibility` package of weaver-packages (`compat.rego`): what a registry may not
 * change against its baseline (the last release). Removed definitions are reported at their place in
 * the baseline, since the current registry no longer has one.
 *
 * Ids follow weaver's recorded output for this package: a stable metric turned unstable is reported
 * as `compatibility_metric_missing` (with the message "cannot change from stable") and a removed event
 * as `compatibility_event_removed`. The package's rule for attributes dropped from a stable metric
 * reads `attr.name`, which resolved attributes do not have, so it never reports; it is left out here.
 */
export function checkBackwardsCompatibility(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  attributes(current, baseline, sink);
  metrics(current, baseline, sink);
  entities(current, baseline, sink);
  events(current, baseline, sink);
  spans(current, baseline, sink);
  attributeGroups(current, baseline, sink);
}

function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(item.name)) map.set(item.name, item);
  return map;
}

function typeString(attr: PolicyAttribute): string {
  return isEnumType(attr.type) ? 'enum' : regoText(attr.type);
}

/** The compat package's `is_opt_in`: only the plain `opt_in` string counts. */
function isPlainOptIn(attr: PolicyAttributeUse): boolean {
  return attr.requirementLevel === 'opt_in';
}

function keys(list: readonly PolicyAttributeUse[], filter: (a: PolicyAttributeUse) => boolean = () => true): Set<string> {
  return new Set(list.filter(filter).map((a) => a.key));
}

function minus(a: Set<string>, b: Set<string>): string[] {
  return regoSet([...a].filter((k) => !b.has(k)));
}

/**
 * `removal_suppressed`: a refinement (or, for entities, a public attribute group) with the removed
 * signal's id that lists `<kind>_missing` in `annotations.compatibility.policy_exceptions`.
 */
function removalSuppressed(current: PolicyRegistry, signalType: 'span' | 'metric' | 'event' | 'entity', name: string): boolean {
  const key = `${signalType}_missing`;
  const ids = new Set([name, `${signalType}.${name}`]);
  if (current.refinements.some((r) => r.signalType === signalType && ids.has(r.id) && policyExceptions(r.annotations, 'compatibility').has(key))) {
    return true;
  }
  return signalType === 'entity' && current.attributeGroups.some((g) => g.name === name && policyExceptions(g.annotations, 'compatibility').has(key));
}

function attributes(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  const now = new Map<string, PolicyAttribute>();
  for (const a of current.attributes) if (!now.has(a.key)) now.set(a.key, a);
  for (const attr of baseline.attributes) {
    const next = now.get(attr.key);
    if (!next) {
      sink.add(attr.location, {
        id: 'compatibility_removed_attribute',
        context: { attribute_key: attr.key },
        message: `Attribute '${attr.key}' no longer exists in the attribute registry`,
        inBaseline: true,
      });
      continue;
    }
    const stable = attr.stability === 'stable';
    if (stable && next.stability !== attr.stability) {
      sink.add(next.fields.stability ?? next.location, {
        id: 'compatibility_stable_attribute_now_unstable',
        context: { attribute_key: attr.key },
        message: `Attribute '${attr.key}' was stable, but has new stability marker`,
      });
    }
    const wasEnum = isEnumType(attr.type);
    const isEnum = isEnumType(next.type);
    if (stable && !wasEnum && !sameType(attr, next)) {
      const before = typeString(attr);
      const after = typeString(next);
      sink.add(next.fields.type ?? next.location, {
        id: 'compatibility_stable_attribute_changed_type',
        context: { attribute_key: attr.key, attribute_type: after, previous_attribute_type: before },
        message: `Attribute '${attr.key}' was '${before}', but has new type '${after}'`,
      });
    }
    if (stable && wasEnum && !isEnum) {
      const after = typeString(next);
      sink.add(next.fields.type ?? next.location, {
        id: 'compatibility_stable_attribute_changed_type',
        context: { attribute_key: attr.key, attribute_type: after, previous_attribute_type: 'enum' },
        message: `Attribute '${attr.key}' was enum, but has new type '${after}'`,
      });
    }
    if (!wasEnum || !isEnumType(attr.type)) continue;
    const nextMembers = isEnumType(next.type) ? next.type.members : [];
    for (const member of attr.type.members) {
      for (const nmember of nextMembers) {
        if (member.id !== nmember.id) continue;
        // An absent stability is undefined in Rego, so a member without one never compares unequal.
        if (stable && member.stability === 'stable' && nmember.stability !== undefined && nmember.stability !== 'stable') {
          sink.add(nmember.location, {
            id: 'compatibility_stable_enum_member_changed_from_stable',
            context: { attribute_key: attr.key, enum_member_id: member.id },
            message: `Enum '${attr.key}' had stable member '${member.id}', but is no longer stable`,
          });
        }
        if (stable && member.value !== nmember.value) {
          // The package puts the baseline value in both context fields; the message has the new one.
          sink.add(nmember.location, {
            id: 'compatibility_stable_enum_member_changed_from_stable',
            context: { attribute_key: attr.key, previous_value: member.value, current_value: member.value },
            message: `Enum '${attr.key}' had stable value '${regoText(member.value)}', but is now '${regoText(nmember.value)}'`,
          });
        }
      }
    }
    if (isEnum) {
      const ids = new Set(nextMembers.map((m) => m.id));
      for (const member of attr.type.members) {
        if (ids.has(member.id)) continue;
        sink.add(next.location, {
          id: 'compatibility_stable_enum_member_missing',
          context: { attribute_key: attr.key, member_id: member.id },
          message: `Enum '${attr.key}' had member '${member.id}', but is no longer defined`,
        });
      }
    }
  }
}

/** Rego compares types structurally; two enums compare by their member lists. */
function sameType(a: PolicyAttribute, b: PolicyAttribute): boolean {
  if (typeof a.type === 'string' || typeof b.type === 'string') return a.type === b.type;
  return JSON.stringify(a.type.members.map((m) => [m.id, m.value])) === JSON.stringify(b.type.members.map((m) => [m.id, m.value]));
}

function removed(sink: FindingSink, at: SourceLocation, id: string, type: string, label: string, name: string): void {
  sink.add(at, {
    id,
    message: `${label} '${name}' no longer exists in semantic conventions`,
    signal: { type, name },
    inBaseline: true,
  });
}

function metrics(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  const now = byName(current.metrics);
  for (const metric of baseline.metrics) {
    const signal = { type: 'metric', name: metric.name };
    const next = now.get(metric.name);
    if (!next) {
      if (!removalSuppressed(current, 'metric', metric.name)) removed(sink, metric.location, 'compatibility_metric_missing', 'metric', 'Metric', metric.name);
      continue;
    }
    if (metric.stability !== 'stable') continue;
    if (next.stability !== 'stable') {
      sink.add(next.fields.stability ?? next.location, { id: 'compatibility_metric_missing', message: `Metric '${metric.name}' cannot change from stable`, signal });
    }
    if (next.unit !== metric.unit) {
      sink.add(next.fields.unit ?? next.location, {
        id: 'compatibility_metric_changed_unit',
        context: { previous_unit: metric.unit, current_unit: next.unit },
        message: `Metric '${metric.name}' cannot change unit (was '${metric.unit}', now: '${next.unit}')`,
        signal,
      });
    }
    if (next.instrument !== metric.instrument) {
      sink.add(next.fields.instrument ?? next.location, {
        id: 'compatibility_metric_changed_instrument',
        context: { previous_instrument: metric.instrument, current_instrument: next.instrument },
        message: `Metric '${metric.name}' cannot change instrument (was '${metric.instrument}', now: '${next.instrument}')`,
        signal,
      });
    }
    const added = minus(keys(next.attributes, (a) => !isPlainOptIn(a)), keys(metric.attributes, (a) => !isPlainOptIn(a)));
    if (added.length > 0) {
      sink.add(next.location, {
        id: 'compatibility_metric_added_attributes',
        context: { added_attributes: added },
        message: `Metric '${metric.name}' cannot change required/recommended attributes (added '${regoSetText(added)}')`,
        signal,
      });
    }
  }
}

function entities(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  const now = byName(current.entities);
  for (const entity of baseline.entities) {
    const signal = { type: 'entity', name: entity.name };
    const next = now.get(entity.name);
    if (!next) {
      if (!removalSuppressed(current, 'entity', entity.name)) removed(sink, entity.location, 'compatibility_entity_missing', 'entity', 'Entity', entity.name);
      continue;
    }
    if (entity.stability !== 'stable') continue;
    for (const [list, field, label] of [
      ['identity', 'identity_missing_attributes', 'identity'],
      ['description', 'description_missing_attributes', 'description'],
    ] as const) {
      const missing = minus(keys(entity[list]), keys(next[list]));
      if (missing.length === 0) continue;
      sink.add(next.location, {
        id: 'compatibility_entity_missing_attribute',
        context: { [field]: missing },
        message: `Entity '${entity.name}' cannot remove attributes from ${label} (missing '${regoSetText(missing)}')`,
        signal,
      });
    }
    const added = minus(keys(next.identity), keys(entity.identity));
    if (added.length > 0) {
      sink.add(next.location, {
        id: 'compatibility_entity_changed_identity',
        context: { added_attributes: added },
        message: `Entity '${entity.name}' cannot change identity. (Found new attributes '${regoSetText(added)}')`,
        signal,
      });
    }
  }
}

function events(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  const now = byName(current.events);
  for (const event of baseline.events) {
    const signal = { type: 'event', name: event.name };
    const next = now.get(event.name);
    if (!next) {
      if (!removalSuppressed(current, 'event', event.name)) removed(sink, event.location, 'compatibility_event_removed', 'event', 'Event', event.name);
      continue;
    }
    if (event.stability !== 'stable') continue;
    if (next.stability !== 'stable') {
      sink.add(next.fields.stability ?? next.location, { id: 'compatibility_event_changed_stability', message: `Event '${event.name}' cannot change from stable`, signal });
    }
    const missing = minus(keys(event.attributes), keys(next.attributes));
    if (missing.length > 0) {
      sink.add(next.location, {
        id: 'compatibility_event_dropped_attributes',
        context: { missing_attributes: missing },
        message: `Event '${event.name}' cannot remove stable attributes (missing '${regoSetText(missing)}')`,
        signal,
      });
    }
  }
}

function spans(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  const now = byName(current.spans);
  for (const span of baseline.spans) {
    const signal = { type: 'span', name: span.name };
    const next = now.get(span.name);
    if (!next) {
      if (!removalSuppressed(current, 'span', span.name)) removed(sink, span.location, 'compatibility_span_missing', 'span', 'Span', span.name);
      continue;
    }
    if (span.stability !== 'stable') continue;
    if (next.stability !== 'stable') {
      sink.add(next.fields.stability ?? next.location, { id: 'compatibility_span_changed_stability', message: `Span '${span.name}' cannot change from stable`, signal });
    }
    if (next.kind !== span.kind) {
      sink.add(next.fields.kind ?? next.location, {
        id: 'compatibility_span_changed_kind',
        context: { previous: span.kind, current: next.kind },
        message: `Span '${span.name}' cannot change kind (was '${span.kind}', now '${next.kind}').`,
        signal,
      });
    }
    const missing = minus(keys(span.attributes), keys(next.attributes));
    if (missing.length > 0) {
      sink.add(next.location, {
        id: 'compatibility_span_dropped_attributes',
        context: { missing_attributes: missing },
        message: `Span '${span.name}' cannot remove stable attributes (missing '${regoSetText(missing)}')`,
        signal,
      });
    }
  }
}

function attributeGroups(current: PolicyRegistry, baseline: PolicyRegistry, sink: FindingSink): void {
  const now = byName(current.attributeGroups);
  for (const group of baseline.attributeGroups) {
    const next = now.get(group.name);
    if (!next) {
      sink.add(group.location, {
        id: 'compatibility_attribute_group_removed',
        context: { attribute_group_id: group.name },
        message: `Attribute group '${group.name}' no longer exists in semantic conventions`,
        inBaseline: true,
      });
      continue;
    }
    if (group.stability !== 'stable') continue;
    if (next.stability !== 'stable') {
      sink.add(next.fields.stability ?? next.location, {
        id: 'compatibility_attribute_group_changed_stability',
        context: { attribute_group_id: group.name },
        message: `Attribute group '${group.name}' cannot change from stable`,
      });
    }
    const missing = minus(keys(group.attributes), keys(next.attributes));
    if (missing.length > 0) {
      sink.add(next.location, {
        id: 'compatibility_attribute_group_dropped_attributes',
        context: { attribute_group_id: group.name, missing_attributes: missing },
        message: `Attribute group '${group.name}' cannot remove attributes (missing '${regoSetText(missing)}')`,
      });
    }
    const added = minus(keys(next.attributes, (a) => !isPlainOptIn(a)), keys(group.attributes, (a) => !isPlainOptIn(a)));
    if (added.length > 0) {
      sink.add(next.location, {
        id: 'compatibility_attribute_group_added_attributes',
        context: { added_attributes: added, attribute_group_id: group.name },
        message: `Attribute group '${group.name}' cannot add required/recommended attributes (added '${regoSetText(added)}')`,
      });
    }
  }
}
