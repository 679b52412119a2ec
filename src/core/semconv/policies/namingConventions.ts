import { regoText, type FindingSink } from './finding';
import { codeGenerationExcluded, policyExceptions } from './annotations';
import { isEnumType, type PolicyAttributeUse, type PolicyRegistry } from './input';

/**
 * The `naming_conventions` package of weaver-packages (`policies/check/naming_conventions/*.rego`):
 * constant-name collisions, namespace collisions, enum member collisions, complex attribute types,
 * metric brief punctuation and name formats. Ids, contexts and messages are the packages' own; as in
 * the package's current tests, a finding that names its signal through `signal_type`/`signal_name`
 * does not repeat the signal's name in `context`.
 */
export function checkNamingConventions(registry: PolicyRegistry, sink: FindingSink): void {
  attributeConstantCollisions(registry, sink);
  attributeNamespaceCollisions(registry, sink);
  complexAttributeTypes(registry, sink);
  signalConstantCollisions(registry, sink);
  enumMemberCollisions(registry, sink);
  metricBriefPeriod(registry, sink);
  metricNamespaceCollisions(registry, sink);
  nameFormats(registry, sink);
}

/** Weaver's generated constant name: dots become underscores. */
function constantName(name: string): string {
  return name.replaceAll('.', '_');
}

function attributeConstantCollisions(registry: PolicyRegistry, sink: FindingSink): void {
  const byConstant = new Map<string, typeof registry.attributes>();
  for (const attr of registry.attributes) {
    if (codeGenerationExcluded(attr.annotations)) continue;
    const c = constantName(attr.key);
    byConstant.set(c, [...(byConstant.get(c) ?? []), attr]);
  }
  for (const [constant, attrs] of byConstant) {
    for (const attr of attrs) {
      for (const other of attrs) {
        if (other.key === attr.key) continue;
        sink.add(attr.location, {
          id: 'naming_convention_attribute_constant_collision',
          context: { attribute_key: attr.key, colliding_attribute_key: other.key, constant_name: constant },
          message: `Attribute '${attr.key}' has the same constant name '${constant}' as '${other.key}'.`,
        });
      }
    }
  }
}

function attributeNamespaceCollisions(registry: PolicyRegistry, sink: FindingSink): void {
  const live = registry.attributes.filter((a) => !a.deprecated);
  const keys = live.map((a) => a.key).sort();
  for (const attr of live) {
    const prefix = `${attr.key}.`;
    // Sorted keys: every key under the prefix sits right after the first one that starts with it.
    let i = lowerBound(keys, prefix);
    for (; i < keys.length && keys[i]!.startsWith(prefix); i++) {
      sink.add(attr.location, {
        id: 'naming_convention_attribute_namespace_collision',
        context: { attribute_key: attr.key, colliding_attribute_key: keys[i]! },
        message: `Attribute '${attr.key}' name is used as a namespace in the following attribute '${keys[i]!}'.`,
      });
    }
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const COMPLEX_TYPES = new Set(['any', 'template[any]']);

function complexType(attr: PolicyAttributeUse): string | undefined {
  return typeof attr.type === 'string' && COMPLEX_TYPES.has(attr.type) ? attr.type : undefined;
}

function complexAttributeTypes(registry: PolicyRegistry, sink: FindingSink): void {
  const tail = 'Complex attributes are only allowed on events and spans.';
  for (const metric of registry.metrics) {
    for (const attr of metric.attributes) {
      const type = complexType(attr);
      if (!type) continue;
      sink.add(attr.usedAt, {
        id: 'naming_convention_attribute_complex_type_violation',
        context: { attribute_key: attr.key, attribute_type: type },
        message: `Attribute '${attr.key}' has type '${type}' and is referenced on metric '${metric.name}'. ${tail}`,
        signal: { type: 'metric', name: metric.name },
      });
    }
  }
  for (const entity of registry.entities) {
    for (const [list, how] of [
      [entity.identity, 'is used as identity on'],
      [entity.description, 'is used in description on'],
    ] as const) {
      for (const attr of list) {
        const type = complexType(attr);
        if (!type) continue;
        sink.add(attr.usedAt, {
          id: 'naming_convention_attribute_complex_type_violation',
          context: { attribute_key: attr.key, attribute_type: type },
          message: `Attribute '${attr.key}' has type '${type}' and ${how} entity '${entity.name}'. ${tail}`,
          signal: { type: 'entity', name: entity.name },
        });
      }
    }
  }
  for (const group of registry.attributeGroups) {
    for (const attr of group.attributes) {
      const type = complexType(attr);
      if (!type) continue;
      sink.add(attr.usedAt, {
        id: 'naming_convention_attribute_complex_type_violation',
        context: { attribute_key: attr.key, attribute_type: type, group_id: group.name },
        message: `Attribute '${attr.key}' has type '${type}' and is referenced on group '${group.name}'. ${tail}`,
      });
    }
  }
}

function signalConstantCollisions(registry: PolicyRegistry, sink: FindingSink): void {
  const kinds = [
    ['metric', registry.metrics],
    ['event', registry.events],
    ['entity', registry.entities],
  ] as const;
  for (const [kind, signals] of kinds) {
    const byConstant = new Map<string, Array<(typeof signals)[number]>>();
    for (const s of signals) {
      if (codeGenerationExcluded(s.annotations)) continue;
      const c = constantName(s.name);
      byConstant.set(c, [...(byConstant.get(c) ?? []), s]);
    }
    for (const [constant, group] of byConstant) {
      for (const s of group) {
        for (const other of group) {
          if (other.name === s.name) continue;
          sink.add(s.location, {
            id: `naming_convention_${kind}_constant_collision`,
            context: { colliding_name: other.name, constant_name: constant },
            message: `${kind} '${s.name}' has the same constant name '${constant}' as '${other.name}'.`,
            signal: { type: kind, name: s.name },
          });
        }
      }
    }
  }
}

function enumMemberCollisions(registry: PolicyRegistry, sink: FindingSink): void {
  for (const attr of registry.attributes) {
    if (!isEnumType(attr.type)) continue;
    const members = attr.type.members;
    const finding = (member: (typeof members)[number], message: string): void =>
      sink.add(member.location, {
        id: 'naming_convention_enum_member_collision',
        context: { attribute_key: attr.key, member_id: member.id },
        message,
      });
    for (const member of members) {
      if (members.filter((m) => m.id === member.id).length > 1) {
        finding(member, `Member with id '${member.id}' is defined more than once on attribute '${attr.key}'. Member ids must be unique.`);
      }
      if (!member.deprecated && members.filter((m) => !m.deprecated && m.value === member.value).length > 1) {
        finding(
          member,
          `Member with value '${regoText(member.value)}' (id '${member.id}') is defined more than once on attribute '${attr.key}'. Member values must be unique.`,
        );
      }
      if (!member.codeGenerationExcluded) {
        const c = constantName(member.id);
        if (members.filter((m) => !m.codeGenerationExcluded && constantName(m.id) === c).length > 1) {
          finding(
            member,
            `Member with constant name '${c}' (id '${member.id}') is defined more than once on attribute '${attr.key}'. Member constant names must be unique.`,
          );
        }
      }
    }
  }
}

/** Rego's `trim(s, " \n")`: strips spaces and newlines from both ends. */
function trimSpacesAndNewlines(s: string): string {
  return s.replace(/^[ \n]+|[ \n]+$/g, '');
}

function metricBriefPeriod(registry: PolicyRegistry, sink: FindingSink): void {
  for (const metric of registry.metrics) {
    const brief = trimSpacesAndNewlines(metric.brief);
    if (brief === '' || brief.endsWith('.')) continue;
    sink.add(metric.fields.brief ?? metric.location, {
      id: 'naming_convention_metric_brief_period',
      context: { brief },
      message: `Non-empty metric brief '${brief}' must end with a period (.).`,
      signal: { type: 'metric', name: metric.name },
    });
  }
}

function metricNamespaceCollisions(registry: PolicyRegistry, sink: FindingSink): void {
  const live = registry.metrics.filter((m) => !m.deprecated);
  // Sorted by name: the metrics under `name.` sit right after the first one that starts with it.
  const sorted = [...live].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = sorted.map((m) => m.name);
  for (const metric of live) {
    const prefix = `${metric.name}.`;
    let i = lowerBound(names, prefix);
    if (i >= names.length || !names[i]!.startsWith(prefix)) continue;
    const mine = policyExceptions(metric.annotations, 'naming_conventions');
    const colliding: string[] = [];
    for (; i < names.length && names[i]!.startsWith(prefix); i++) {
      const other = sorted[i]!;
      // An exception on either metric allows the pair.
      if (mine.has('metric_namespace_collision') || policyExceptions(other.annotations, 'naming_conventions').has('metric_namespace_collision')) {
        continue;
      }
      colliding.push(other.name);
    }
    for (const name of colliding) {
      sink.add(metric.location, {
        id: 'naming_convention_metric_namespace_collision',
        context: { colliding_metric_name: name },
        message: `Metric with name '${metric.name}' is used as a namespace in the following metric '${name}'.`,
        signal: { type: 'metric', name: metric.name },
      });
    }
  }
}

// not valid: '1foo.bar', 'foo.bar.', 'foo.bar_', 'foo..bar', 'foo._bar'; valid: 'foo.bar', 'foo.1bar', 'foo.1_bar'
const NAME = /^[a-z][a-z0-9]*([._][a-z0-9]+)*$/;
const HAS_NAMESPACE = /^[a-z0-9_]+\.([a-z0-9._]+)+$/;
const INVALID_NAME_HELP = "must consist of lowercase alphanumeric characters separated by '_' and '.'";

function nameFormats(registry: PolicyRegistry, sink: FindingSink): void {
  for (const attr of registry.attributes) {
    if (!NAME.test(attr.key)) {
      sink.add(attr.location, {
        id: 'naming_convention_attribute_name_format',
        context: { attribute_key: attr.key },
        message: `Attribute name '${attr.key}' is invalid. Attribute name ${INVALID_NAME_HELP}`,
      });
    }
    // Some deprecated attributes predate namespaces.
    if (!attr.deprecated && !HAS_NAMESPACE.test(attr.key)) {
      sink.add(attr.location, {
        id: 'naming_convention_attribute_name_namespace',
        context: { attribute_key: attr.key },
        message: `Attribute name '${attr.key}' should have a namespace. Attribute name ${INVALID_NAME_HELP}`,
      });
    }
    if (isEnumType(attr.type)) {
      for (const member of attr.type.members) {
        if (NAME.test(member.id)) continue;
        sink.add(member.location, {
          // names.rego's id and context keys (the packages' "checks attribute enum member id format" rule).
          id: 'naming_convention_enum_id',
          context: { attribute: attr.key, member_id: member.id },
          message: `Member id '${member.id}' on attribute '${attr.key}' is invalid. Member id ${INVALID_NAME_HELP}`,
        });
      }
    }
  }
  for (const metric of registry.metrics) {
    if (NAME.test(metric.name)) continue;
    sink.add(metric.location, {
      id: 'naming_convention_metric_name_format',
      message: `Metric name '${metric.name}' is invalid. Metric name ${INVALID_NAME_HELP}`,
      signal: { type: 'metric', name: metric.name },
    });
  }
  for (const event of registry.events) {
    if (!NAME.test(event.name)) {
      sink.add(event.location, {
        id: 'naming_convention_event_name_format',
        message: `Event name '${event.name}' is invalid. Event name ${INVALID_NAME_HELP}`,
        signal: { type: 'event', name: event.name },
      });
    }
    for (const attr of event.attributes) {
      if (attr.key !== 'event.name') continue;
      sink.add(attr.usedAt, {
        id: 'naming_convention_event_name_attribute_forbidden',
        message: `Attribute 'event.name' is referenced on event '${event.name}'. Event name must be provided in the 'name' property of the event.`,
        signal: { type: 'event', name: event.name },
      });
    }
  }
  for (const entity of registry.entities) {
    if (NAME.test(entity.name)) continue;
    sink.add(entity.location, {
      id: 'naming_convention_entity_type_format',
      message: `Entity type '${entity.name}' is invalid. Entity type ${INVALID_NAME_HELP}`,
      signal: { type: 'entity', name: entity.name },
    });
  }
}
