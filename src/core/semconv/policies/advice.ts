import type { RegistryDiagnostic, Severity } from '../../engine/diagnostic';
import type { LocatedPolicyFinding, PolicyLevel } from './finding';

/** Weaver fails a check on violations; improvements and information do not fail it. */
export function levelSeverity(level: PolicyLevel): Severity {
  return level === 'violation' ? 'error' : level === 'improvement' ? 'warning' : 'information';
}

/** What to do about a finding, by rule id (most specific prefix first). */
const ADVICE: ReadonlyArray<[RegExp, string]> = [
  [/^naming_convention_attribute_constant_collision$/, 'rename one of the attributes, or exclude one from code generation with `annotations: {code_generation: {exclude: true}}`'],
  [/^naming_convention_attribute_namespace_collision$/, 'rename the attribute so its name is not the namespace of another attribute, or deprecate one of them'],
  [/^naming_convention_attribute_complex_type_violation$/, 'use a primitive or array type, or reference this attribute from events and spans only'],
  [/^naming_convention_\w+_constant_collision$/, 'rename one of the two, or exclude one from code generation with `annotations: {code_generation: {exclude: true}}`'],
  [/^naming_convention_enum_member_collision$/, 'give every member of the enum a distinct id, value and constant name (deprecated members may share a value)'],
  [/^naming_convention_metric_brief_period$/, 'end the brief with a period'],
  [/^naming_convention_metric_namespace_collision$/, 'rename one of the metrics, or list `metric_namespace_collision` under `annotations.naming_conventions.policy_exceptions` with the reason in a comment'],
  [/^naming_convention_event_name_attribute_forbidden$/, 'remove the `event.name` reference: the event name is its `name` property'],
  [/^naming_convention_attribute_name_namespace$/, 'put the attribute under a namespace (`namespace.name`)'],
  [/^naming_convention_/, "use lowercase letters and digits, in segments separated by single '.' or '_'"],
  [/^stability_entity_no_identity$/, 'add at least one identifying attribute (`identity:` in v2, `role: identifying` in v1)'],
  [
    /^stability_(\w+)_lower_stability_attribute$/,
    'use the attribute at `requirement_level: opt_in`, stabilize the attribute first, or lower the stability of the signal',
  ],
  [/^deprecation_\w+_renamed_to_invalid$/, '`renamed_to` must name a definition that exists and is not deprecated: fix the name or use `reason: obsoleted`/`uncategorized`'],
  [/^deprecation_attribute_renamed_to_type_mismatch$/, 'rename to an attribute of the same type, or use `reason: uncategorized` with a note on how to migrate'],
  [/^compatibility_removed_attribute$/, 'restore the attribute and deprecate it instead of removing it'],
  [/^compatibility_\w+_(missing|removed)$/, 'restore the definition and deprecate it instead of removing it (or list the matching exception under `annotations.compatibility.policy_exceptions` of a refinement)'],
  [/^compatibility_/, 'a released stable definition cannot change this way: revert the change, or add a new definition and deprecate the old one with `renamed_to`'],
  [/^entity_association_unknown_entity$/, 'name the type of an entity the registry defines, or define that entity'],
];

export function adviceFor(id: string): string | undefined {
  return ADVICE.find(([pattern]) => pattern.test(id))?.[1];
}

/** A finding as an editor diagnostic: `code` is the rule id, the message says what to do. */
export function policyDiagnostic(located: LocatedPolicyFinding): RegistryDiagnostic {
  const { finding } = located;
  const advice = adviceFor(finding.id);
  const base = finding.message.replace(/[.\s]+$/, '');
  const where = located.inBaseline ? ' (shown at its definition in the baseline registry)' : '';
  return {
    file: located.location.file,
    range: located.location.range,
    severity: levelSeverity(finding.level),
    code: finding.id,
    message: `${base}${where}${advice ? `: ${advice}` : ''}. [policy ${located.package}]`,
    source: 'weavergen',
  };
}
