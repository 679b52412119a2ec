import { relative } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadRegistry } from '../../../src/core/semconv/loadRegistry';
import { checkPolicies, evaluatePolicies, policyRegistryFromLoaded, type LocatedPolicyFinding, type PolicyRegistry } from '../../../src/core/semconv/policies';
import type { LoadedRegistry } from '../../../src/core/semconv/loadRegistry';
import { shared } from './helpers';

/**
 * The real semantic-conventions registry (main) with the v1.44.0 release as its baseline: the same
 * pair semantic-conventions' CI checks with these packages. Parsing ~250 files twice on a shared
 * two-core machine takes a few seconds.
 */
const registries = shared('registries');
let main: LoadedRegistry;
let release: LoadedRegistry;

beforeAll(async () => {
  [main, release] = await Promise.all([loadRegistry(shared('registries/semconv-main')), loadRegistry(shared('registries/semconv-v1.44.0'))]);
}, 60_000);

function show(findings: readonly LocatedPolicyFinding[]): string[] {
  return findings
    .map((f) => {
      const at = `${relative(registries, f.location.file)}:${f.location.range.start.line + 1}`;
      return `${f.finding.id} ${f.finding.signal_type ?? '-'}:${f.finding.signal_name ?? '-'} ${JSON.stringify(f.finding.context)} @ ${at}`;
    })
    .sort();
}

describe('semconv main against v1.44.0', () => {
  test('the policy input holds the whole registry', () => {
    const input = policyRegistryFromLoaded(main);
    expect(input.attributes.length).toBeGreaterThan(900);
    expect(input.metrics.length).toBeGreaterThan(500);
    // v2 files (session/, thread/) and v1 files meet in one registry.
    expect(input.events.map((e) => e.name)).toContain('session.start');
    expect(input.entities.map((e) => e.name)).toContain('service');
    expect(input.entities.find((e) => e.name === 'service')!.identity.map((a) => a.key)).toEqual(['service.name']);
  });

  test('all four packages report nothing on main with v1.44.0 as the baseline', () => {
    const result = checkPolicies(main, release);
    expect(show(result.findings)).toEqual([]);
  });

  test('without the policy exceptions written in the YAML, exactly the excepted places are reported', () => {
    const input: PolicyRegistry = policyRegistryFromLoaded(main);
    for (const signal of [...input.metrics, ...input.entities, ...input.events, ...input.spans]) signal.annotations = {};
    expect(show(evaluatePolicies(input, policyRegistryFromLoaded(release)))).toEqual([
      'naming_convention_metric_constant_collision metric:k8s.container.cpu.limit.utilization {"colliding_name":"k8s.container.cpu.limit_utilization","constant_name":"k8s_container_cpu_limit_utilization"} @ semconv-main/k8s/metrics.yaml:1372',
      'naming_convention_metric_constant_collision metric:k8s.container.cpu.limit_utilization {"colliding_name":"k8s.container.cpu.limit.utilization","constant_name":"k8s_container_cpu_limit_utilization"} @ semconv-main/k8s/deprecated/metrics-deprecated.yaml:531',
      'naming_convention_metric_constant_collision metric:k8s.container.cpu.request.utilization {"colliding_name":"k8s.container.cpu.request_utilization","constant_name":"k8s_container_cpu_request_utilization"} @ semconv-main/k8s/metrics.yaml:1425',
      'naming_convention_metric_constant_collision metric:k8s.container.cpu.request_utilization {"colliding_name":"k8s.container.cpu.request.utilization","constant_name":"k8s_container_cpu_request_utilization"} @ semconv-main/k8s/deprecated/metrics-deprecated.yaml:562',
      'naming_convention_metric_namespace_collision metric:hw.battery.charge {"colliding_metric_name":"hw.battery.charge.limit"} @ semconv-main/hardware/battery-metrics.yaml:18',
      'naming_convention_metric_namespace_collision metric:hw.cpu.speed {"colliding_metric_name":"hw.cpu.speed.limit"} @ semconv-main/hardware/cpu-metrics.yaml:14',
      'naming_convention_metric_namespace_collision metric:hw.fan.speed {"colliding_metric_name":"hw.fan.speed.limit"} @ semconv-main/hardware/fan-metrics.yaml:4',
      'naming_convention_metric_namespace_collision metric:hw.temperature {"colliding_metric_name":"hw.temperature.limit"} @ semconv-main/hardware/temperature-metrics.yaml:4',
      'naming_convention_metric_namespace_collision metric:hw.voltage {"colliding_metric_name":"hw.voltage.limit"} @ semconv-main/hardware/voltage-metrics.yaml:4',
      'naming_convention_metric_namespace_collision metric:hw.voltage {"colliding_metric_name":"hw.voltage.nominal"} @ semconv-main/hardware/voltage-metrics.yaml:4',
      'stability_entity_lower_stability_attribute entity:service {"attribute_key":"service.criticality","attribute_stability":"alpha","signal_stability":"stable"} @ semconv-main/service/entities.yaml:23',
      'stability_metric_lower_stability_attribute metric:dotnet.process.cpu.time {"attribute_key":"cpu.mode","attribute_stability":"release_candidate","signal_stability":"stable"} @ semconv-main/dotnet/runtime-metrics.yaml:37',
      'stability_metric_lower_stability_attribute metric:kestrel.connection.duration {"attribute_key":"tls.protocol.version","attribute_stability":"development","signal_stability":"stable"} @ semconv-main/kestrel/metrics.yaml:50',
      'stability_metric_lower_stability_attribute metric:kestrel.tls_handshake.duration {"attribute_key":"tls.protocol.version","attribute_stability":"development","signal_stability":"stable"} @ semconv-main/kestrel/metrics.yaml:193',
    ]);
  });

  test('read backwards (v1.44.0 checked against main), what main added shows up as removed', () => {
    const result = checkPolicies(release, main, { packages: ['backwards-compatibility'] });
    expect(show(result.findings)).toEqual([
      'compatibility_attribute_group_removed -:- {"attribute_group_id":"session-id"} @ semconv-main/session/common.yaml:4',
      'compatibility_attribute_group_removed -:- {"attribute_group_id":"thread"} @ semconv-main/thread/common.yaml:4',
      'compatibility_removed_attribute -:- {"attribute_key":"http.request.body.content"} @ semconv-main/http/registry.yaml:207',
      'compatibility_removed_attribute -:- {"attribute_key":"http.response.body.content"} @ semconv-main/http/registry.yaml:237',
      'compatibility_removed_attribute -:- {"attribute_key":"rpc.status_code"} @ semconv-main/rpc/registry.yaml:7',
      'compatibility_span_dropped_attributes span:http.client {"missing_attributes":["http.request.body.content","http.response.body.content"]} @ semconv-v1.44.0/http/spans.yaml:2',
      'compatibility_span_dropped_attributes span:http.server {"missing_attributes":["http.request.body.content","http.response.body.content"]} @ semconv-v1.44.0/http/spans.yaml:68',
    ]);
  });
});
