import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { checkPolicies, policyRegistryFromLoaded } from '/work/main/src/core/semconv/policies';
import { loadRegistry } from '/work/main/src/core/semconv/loadRegistry';
test('x', async () => {
  const cur = await loadRegistry('/work/shared/registries/semconv-main');
  const base = await loadRegistry('/work/shared/registries/semconv-v1.44.0');
  const pr = policyRegistryFromLoaded(cur);
  console.log('attrs', pr.attributes.length, 'metrics', pr.metrics.length, 'events', pr.events.length, 'spans', pr.spans.length, 'entities', pr.entities.length, 'groups', pr.attributeGroups.length, 'refinements', pr.refinements.length);
  const t0 = Date.now();
  const r = checkPolicies(cur, base);
  console.log('ms', Date.now() - t0);
  const counts: Record<string, number> = {};
  for (const f of r.findings) counts[`${f.package} ${f.finding.id}`] = (counts[`${f.package} ${f.finding.id}`] ?? 0) + 1;
  console.log(JSON.stringify(counts, null, 1));
  writeFileSync('/tmp/semconv-findings.json', JSON.stringify(r.findings.map(f => ({...f.finding, file: f.location.file.replace('/work/shared/registries/',''), line: f.location.range.start.line + 1, pkg: f.package})), null, 1));
}, 120000);
